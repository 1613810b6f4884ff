import {
  connectionSecretValue,
  parseConnection,
  terraformJsonEncode,
  terraformUrlEncode,
} from "../../../dr/promote/secret";

// Every expected string below was written by hand and checked against Terraform 1.11's
// `terraform console` (jsonencode / urlencode of the same input).

describe("terraformUrlEncode (Terraform's urlencode)", () => {
  it.each([
    ["p-4ss_w0rd", "p-4ss_w0rd"],
    ["AZaz09-_.~", "AZaz09-_.~"],
    ["a b", "a+b"],
    ["a+b", "a%2Bb"],
    ["%/:@?=#&", "%25%2F%3A%40%3F%3D%23%26"],
    ["é", "%C3%A9"],
    ["😀", "%F0%9F%98%80"],
    ["\n\t", "%0A%09"],
    [
      "a b&c<d>é/%+~-_.AZaz09 😀:@?=#",
      "a+b%26c%3Cd%3E%C3%A9%2F%25%2B~-_.AZaz09+%F0%9F%98%80%3A%40%3F%3D%23",
    ],
  ])("%j -> %s", (input, expected) => {
    expect(terraformUrlEncode(input)).toBe(expected);
  });

  it("encodes an unpaired surrogate as U+FFFD, as Go does with invalid UTF-8", () => {
    expect(terraformUrlEncode("\ud800")).toBe("%EF%BF%BD");
  });
});

describe("terraformJsonEncode (Terraform's jsonencode)", () => {
  it("sorts keys, writes compactly and escapes <, > and & like Go", () => {
    expect(terraformJsonEncode({ b: "<&>", a: 1, c: { z: true, y: null } })).toBe(
      String.raw`{"a":1,"b":"\u003c\u0026\u003e","c":{"y":null,"z":true}}`,
    );
  });

  it("escapes U+2028 and U+2029 and keeps other non-ASCII as it is", () => {
    expect(terraformJsonEncode("é\u2028\u2029😀\u0001\u007f")).toBe(
      String.raw`"é\u2028\u2029😀\u0001` + '\u007f"',
    );
  });
});

describe("connectionSecretValue", () => {
  it("equals Terraform's jsonencode of the DatabaseSecret for a plain password", () => {
    const value = connectionSecretValue({
      host: "h.example",
      port: 5432,
      dbname: "helloyou",
      username: "helloyou",
      password: "p-4ss_w0rd",
    });
    expect(value).toBe(
      '{"dbname":"helloyou","engine":"postgres","host":"h.example","password":"p-4ss_w0rd","port":5432,"url":"postgresql://helloyou:p-4ss_w0rd@h.example:5432/helloyou","username":"helloyou"}',
    );
  });

  it("equals Terraform's for a password with every kind of special character", () => {
    const value = connectionSecretValue({
      host: "h.example",
      port: 5432,
      dbname: "db1",
      username: "app_user",
      password: 'a b&c<d>é/%+~\u2028x\b\f\n\t"\\',
    });
    expect(value).toBe(
      String.raw`{"dbname":"db1","engine":"postgres","host":"h.example","password":"a b\u0026c\u003cd\u003eé/%+~\u2028x\b\f\n\t\"\\","port":5432,"url":"postgresql://app_user:a+b%26c%3Cd%3E%C3%A9%2F%25%2B~%E2%80%A8x%08%0C%0A%09%22%5C@h.example:5432/db1","username":"app_user"}`,
    );
  });

  it("round-trips through parseConnection", () => {
    const connection = { host: "h", port: 5433, dbname: "d", username: "u", password: "p w" };
    expect(parseConnection(connectionSecretValue(connection), "s")).toEqual(connection);
  });
});

describe("parseConnection", () => {
  it("names the secret and the key, never the value", () => {
    const value = JSON.stringify({ host: "h", port: 5432, dbname: "d", password: "hunter2" });
    expect(() => parseConnection(value, "my-secret")).toThrow(
      'secret my-secret: key "username" is missing or not a string',
    );
    try {
      parseConnection(value, "my-secret");
    } catch (error) {
      expect(String(error)).not.toContain("hunter2");
    }
  });

  it("refuses a value that is not JSON without quoting it", () => {
    expect(() => parseConnection("hunter2", "s")).toThrow(/^secret s: its value is not JSON/);
    expect(() => parseConnection("hunter2", "s")).not.toThrow(/hunter2/);
  });

  it("refuses a port that is not a port", () => {
    const value = JSON.stringify({
      host: "h",
      port: "x",
      dbname: "d",
      username: "u",
      password: "p",
    });
    expect(() => parseConnection(value, "s")).toThrow('key "port" is not a port number');
  });
});
