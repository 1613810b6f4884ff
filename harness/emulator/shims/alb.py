"""What an Application Load Balancer answers to an HTTP request, read from moto's state.

moto stores load balancers, listeners and rules but serves no traffic. A recovery probe asks
region A's ALB whether it still serves, so the emulator answers as the ALB would: the listener on
the request's port, its rules in priority order (host-header and path-pattern conditions), then
the first action: a fixed response gives its status, a redirect 301/302, a forward the state of
its target groups: 200 when a target is healthy (the app answers its health path), 500 when the
targets are all unhealthy (the ALB fails open and the app answers what failed its check), 503
when no target is registered or all drain. An unknown name gets no answer, as DNS would give none.
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
"""
import fnmatch
import re

import moto.elbv2.models as elbv2

from . import target_health  # noqa: F401  (target groups report the tasks as declared)

_REGION = re.compile(r"\.([a-z]{2}(?:-[a-z]+)+-\d)\.elb\.amazonaws\.com$")


def _find(dns_name):
    match = _REGION.search(dns_name)
    if not match:
        return None, None
    region = match.group(1)
    for account_id, regions in elbv2.elbv2_backends.items():
        backend = regions.get(region) if region in regions else None
        if backend is None:
            continue
        for lb in backend.load_balancers.values():
            if lb.dns_name == dns_name:
                return backend, lb
    return None, None


def _values(condition, field):
    config = {"host-header": "HostHeaderConfig", "path-pattern": "PathPatternConfig"}[field]
    return (condition.get(config) or {}).get("Values") or condition.get("Values") or []


def _matches(rule, host, path):
    for condition in rule.conditions:
        field = condition.get("Field")
        if field == "host-header":
            if not any(fnmatch.fnmatch(host.lower(), v.lower()) for v in _values(condition, field)):
                return False
        elif field == "path-pattern":
            if not any(fnmatch.fnmatchcase(path, v) for v in _values(condition, field)):
                return False
        else:
            return False  # conditions the emulator does not evaluate never match
    return True


def _forward(backend, action):
    arns = [action.data.get("TargetGroupArn")] if action.data.get("TargetGroupArn") else []
    arns += [g["TargetGroupArn"] for g in (action.data.get("ForwardConfig") or {}).get("TargetGroups", [])]
    states = []
    for arn in filter(None, arns):
        group = backend.target_groups.get(arn)
        if group is None:
            continue
        registered = backend.describe_target_health(arn, [])
        states += [t.status for t in registered]
    if "healthy" in states:
        return 200
    if "unhealthy" in states:
        return 500
    return 503


def answer(dns_name, host, path, port):
    """The status the ALB answers with, or None when no load balancer has that name."""
    backend, lb = _find(dns_name)
    if lb is None:
        return None
    listener = next((l for l in lb.listeners.values() if int(l.port) == int(port)), None)
    if listener is None:
        return None  # nothing listens: the connection is refused
    rules = sorted(
        listener.rules.values(),
        key=lambda r: (r.priority == "default", int(r.priority) if r.priority != "default" else 0),
    )
    for rule in rules:
        if not _matches(rule, host, path):
            continue
        action = sorted(rule.actions, key=lambda a: int(a.data.get("Order") or 0))[0]
        if action.type == "fixed-response":
            return int(action.data["FixedResponseConfig"]["StatusCode"])
        if action.type == "redirect":
            return 302 if action.data["RedirectConfig"].get("StatusCode") == "HTTP_302" else 301
        if action.type == "forward":
            return _forward(backend, action)
        return 503
    return 503
