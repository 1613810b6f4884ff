"""What a test declares about what moto cannot run: how each ECS service's tasks fare.

moto starts no containers, so whether a task runs and passes its load balancer's health check is
not something it can know. The harness declares it, per service, in a JSON file named by
HELLO_YOU_EMULATOR_CONTROL (rewritten by the test at any time, read on every call):

    {"tasks": {"us-west-2/hello-you-dev/hello-you-dev-api": "unhealthy",
               "*": {"health": "healthy", "running": 1}}}

Keys: "<region>/<cluster>/<service>", "<region>/*" or "*"; the most specific wins. Values: a
health ("healthy", "unhealthy", "draining", "pending") or {"health": ..., "running": n} to cap how
many tasks start. Nothing declared means "pending": no task has started, nothing is healthy, and
no rollout completes. Healthy is never assumed.
"""
import json
import os

HEALTHS = ("healthy", "unhealthy", "draining", "pending")
_for_tests = None


def use_for_tests(declaration):
    """Replaces the file with `declaration` (a dict) for in-process tests; None restores the file."""
    global _for_tests
    _for_tests = declaration


def _declared():
    if _for_tests is not None:
        return _for_tests
    path = os.environ.get("HELLO_YOU_EMULATOR_CONTROL")
    if not path or not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def tasks_of(region, cluster, service):
    """(health, running cap or None) declared for a service's tasks."""
    tasks = _declared().get("tasks", {})
    for key in (f"{region}/{cluster}/{service}", f"{region}/*", "*"):
        if key in tasks:
            value = tasks[key]
            value = value if isinstance(value, dict) else {"health": value}
            health = value.get("health", "pending")
            if health not in HEALTHS:
                raise ValueError(f"{key}: health {health!r} is not one of {', '.join(HEALTHS)}")
            return health, value.get("running")
    return "pending", None
