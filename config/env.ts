/** The process environment as the config loaders read it: variables by name, unset as undefined. */
export type Env = Readonly<Record<string, string | undefined>>;
