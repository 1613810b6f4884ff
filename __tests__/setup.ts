import { Testing } from "cdktf";
// Declares cdktf's matchers (toHaveResourceWithProperties, ...) on jest's `expect` for tsc.
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();
