"""Region A's fence, checked before the app starts (docs/adr/0002-fencing.md).

Runs in every task of region A's service as a non-essential container of the app's own image,
which the app container waits for (dependsOn SUCCESS): it exits 1 only when region B's fence
answers 200 "fenced", so a task ECS starts in a fenced region stops before the app opens a
connection to the old writer. Anything else (the fence location not written yet because `link`
was never applied, B unreachable, "open", an error) exits 0: an unreachable standby must never
keep a serving region down, the same rule as the fence enforcer's (constructs/fence-enforcer).

It reads where the fence is from region A's SSM (the parameter `link` writes), signing the call
with the task role's credentials, then reads the fence itself: region A's APIs and B's ALB only,
neither B's APIs nor Route53's. Python's standard library only, since the image is the app's;
Python 3.8 and later.
"""
import datetime
import hashlib
import hmac
import http.client
import json
import os
import ssl
import sys
import urllib.error
import urllib.request

FENCED = "fenced"
TIMEOUT_SECONDS = float(os.environ.get("FENCE_TIMEOUT_SECONDS", "3"))


def credentials():
    """Environment variables first, then the container credentials endpoint, as the SDKs do."""
    if os.environ.get("AWS_ACCESS_KEY_ID"):
        return {
            "key": os.environ["AWS_ACCESS_KEY_ID"],
            "secret": os.environ["AWS_SECRET_ACCESS_KEY"],
            "token": os.environ.get("AWS_SESSION_TOKEN"),
        }
    url = os.environ.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    if not url:
        url = "http://169.254.170.2" + os.environ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]
    request = urllib.request.Request(url)
    if os.environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN"):
        request.add_header("Authorization", os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"])
    # The endpoint is link-local: no proxy may stand between the task and it.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=TIMEOUT_SECONDS) as answer:
        body = json.load(answer)
    return {"key": body["AccessKeyId"], "secret": body["SecretAccessKey"], "token": body.get("Token")}


def signed_headers(creds, region, host, target, payload, now):
    """Signature Version 4 for one POST to an AWS JSON API (AWS General Reference, SigV4)."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    day = stamp[:8]
    headers = {
        "content-type": "application/x-amz-json-1.1",
        "host": host,
        "x-amz-date": stamp,
        "x-amz-target": target,
    }
    if creds.get("token"):
        headers["x-amz-security-token"] = creds["token"]
    names = sorted(headers)
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            "".join("%s:%s\n" % (name, headers[name]) for name in names),
            ";".join(names),
            hashlib.sha256(payload).hexdigest(),
        ]
    )
    scope = "%s/%s/ssm/aws4_request" % (day, region)
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = ("AWS4" + creds["secret"]).encode()
    for part in (day, region, "ssm", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        creds["key"],
        scope,
        ";".join(names),
        signature,
    )
    return headers


def fence_location(parameter, region):
    """Region B's ALB DNS name from region A's SSM, or None when `link` has not written it."""
    endpoint = (
        os.environ.get("AWS_ENDPOINT_URL_SSM")
        or os.environ.get("AWS_ENDPOINT_URL")
        or "https://ssm.%s.amazonaws.com" % region
    )
    host = endpoint.split("://", 1)[1].rstrip("/")
    payload = json.dumps({"Name": parameter, "WithDecryption": True}).encode()
    headers = signed_headers(
        credentials(),
        region,
        host,
        "AmazonSSM.GetParameter",
        payload,
        datetime.datetime.now(datetime.timezone.utc),
    )
    request = urllib.request.Request(endpoint.rstrip("/") + "/", payload, headers, method="POST")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as answer:
            return json.load(answer)["Parameter"]["Value"]
    except urllib.error.HTTPError as error:
        body = error.read().decode(errors="replace")
        if "ParameterNotFound" in body:
            return None
        raise RuntimeError("SSM GetParameter %s: %s %s" % (parameter, error.code, body[:200]))


class NamedTlsConnection(http.client.HTTPSConnection):
    """Connects to B's ALB by its own name, verifying the certificate against the service's."""

    def __init__(self, host, server_name, **kwargs):
        super().__init__(host, context=ssl.create_default_context(), **kwargs)
        self.server_name = server_name

    def connect(self):
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.server_name)


def read_fence(host, path, protocol, server_name):
    """(status, first bytes of the body) of B's fence, addressed to the ALB's own name."""
    if protocol == "https:":
        connection = NamedTlsConnection(host, server_name, timeout=TIMEOUT_SECONDS)
        try:
            connection.request("GET", path, headers={"Host": host})
            answer = connection.getresponse()
            return answer.status, answer.read(64).decode(errors="replace")
        finally:
            connection.close()
    # Plain HTTP (an environment without a DNS zone); an http_proxy set for the task is honoured.
    try:
        with urllib.request.urlopen("http://%s%s" % (host, path), timeout=TIMEOUT_SECONDS) as answer:
            return answer.status, answer.read(64).decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(64).decode(errors="replace")


def check(env):
    """The verdict as a record: state fenced, open or unknown, and what was seen."""
    parameter = env["FENCE_LOCATION_PARAMETER"]
    protocol = env.get("FENCE_PROTOCOL", "https:")
    try:
        host = fence_location(parameter, env["AWS_REGION"])
    except Exception as error:  # noqa: BLE001 - any failure to read leaves the region serving
        return {"fence": "unknown", "seen": "cannot read %s: %s" % (parameter, error)}
    if not host:
        return {"fence": "unknown", "seen": "%s not written yet (link not applied)" % parameter}
    url = "%s//%s%s" % (protocol, host, env["FENCE_PATH"])
    try:
        status, body = read_fence(host, env["FENCE_PATH"], protocol, env.get("FENCE_SERVER_NAME"))
    except Exception as error:  # noqa: BLE001 - B unreachable: never a reason to stay down
        return {"fence": "unknown", "seen": "%s: %s" % (url, error)}
    word = body.strip()
    state = FENCED if status == 200 and word == FENCED else "open" if status == 200 and word == "open" else "unknown"
    return {"fence": state, "seen": "%s: %s %s" % (url, status, json.dumps(word[:20]))}


def main():
    record = check(os.environ)
    record["decision"] = (
        "stop: region B is promoted and region A is fenced until failback; the app does not start"
        if record["fence"] == FENCED
        else "start: only a 200 reading \"fenced\" keeps region A's tasks from starting"
    )
    print(json.dumps(record), flush=True)
    return 1 if record["fence"] == FENCED else 0


if __name__ == "__main__":
    sys.exit(main())
