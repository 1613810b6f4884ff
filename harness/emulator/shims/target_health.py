"""Target health of an ECS service's target group, as the test declares its tasks (control.py).

Restores: ECS registers each task of a service in the service's target group, and the group
reports each target's state: healthy once it passes the health check, unhealthy when it fails it,
draining while it deregisters; a task that has not started is not registered at all. moto runs
no task, so its groups stay empty.
https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html

A group with targets registered through the API, or a call naming targets, is answered by moto
as it is. Nothing declared means no task started: no target, so nothing healthy.
"""
import moto.ecs.models as ecs_models
import moto.elbv2.models as elbv2

from . import control
from .ecs_rollout import advance

_STATES = {
    "healthy": ("healthy", None, None),
    "unhealthy": ("unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]"),
    "draining": ("draining", "Target.DeregistrationInProgress", "Target deregistration is in progress"),
}


def services_on(account_id, region, target_group_arn):
    """The ECS services whose load balancer settings name this target group."""
    backend = ecs_models.ecs_backends[account_id][region]
    return [
        s
        for s in backend.services.values()
        if s.status == "ACTIVE"
        and any(lb.get("targetGroupArn") == target_group_arn for lb in s.load_balancers)
    ]


def task_targets(account_id, region, target_group_arn, port, health_port):
    out = []
    for index, service in enumerate(services_on(account_id, region, target_group_arn)):
        advance(service)
        health, _ = control.tasks_of(region, service.cluster_name, service.name)
        if health not in _STATES:
            continue
        state, reason, description = _STATES[health]
        for i in range(service.running_count):
            out.append(
                elbv2.FakeHealthStatus(f"10.255.{index}.{i + 1}", port, health_port, state, reason, description)
            )
    return out


_describe_target_health = elbv2.ELBv2Backend.describe_target_health


def _with_task_targets(self, target_group_arn, targets):
    found = _describe_target_health(self, target_group_arn, targets)
    if found or targets:
        return found
    group = self.target_groups[target_group_arn]
    return task_targets(self.account_id, self.region_name, target_group_arn, group.port, group.health_check_port)


elbv2.ELBv2Backend.describe_target_health = _with_task_targets
