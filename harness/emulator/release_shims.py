"""Emulator gaps that the release rehearsal meets (harness/emulator/release-rehearsal.ts).

Imported by moto_shims.py. Three gaps, each small:

Gap R0: moto's RunTask adds up the containers' own `memory` and fails (None + int) when a
container has none, which Fargate allows: the task's memory is enough, as in our task definitions.
A missing container memory counts as 0 here.

Gap R1: moto runs no container. A one-off task (RunTask with a command override) stops after a few
DescribeTasks and its container reports exit code 0 whatever it was asked to run. Here such a
task's outcome is what the test scripted in the emulator's own state, the SSM parameter
OUTCOME_PARAMETER in the task's region: {"exitCode": n, "log": [lines], "stoppedReason": "..."}.
The log lines go to the container's awslogs stream, as the awslogs driver would write them. With
no parameter, the task stops with no exit code and says so: never a success nobody scripted.

Gap R2: nothing records the order of calls. ECS calls that change what runs (RegisterTaskDefinition,
RunTask, CreateService, UpdateService) are printed to moto's log as
`hello-you-call <region> <operation> <detail>`, which the rehearsal reads back.
"""
import json
import sys
import time

import moto.ecs.models as ecs_models
import moto.ecs.responses as ecs
from moto.logs.models import logs_backends
from moto.ssm.models import ssm_backends

OUTCOME_PARAMETER = "/hello-you/emulator/task-outcome"
CALL_MARK = "hello-you-call"


def _record(region, operation, detail):
    print(f"{CALL_MARK} {region} {operation} {detail}", file=sys.stderr, flush=True)


def _recording(operation, detail):
    def wrap(handler):
        def wrapped(self):
            response = handler(self)
            _record(self.region, operation, detail(self))
            return response

        return wrapped

    return wrap


for _operation, _detail in {
    "RegisterTaskDefinition": lambda r: r._get_param("family"),
    "RunTask": lambda r: r._get_param("taskDefinition"),
    "CreateService": lambda r: f"{r._get_param('serviceName')} {r._get_param('taskDefinition')}",
    "UpdateService": lambda r: f"{r._get_param('service')} {r._get_param('taskDefinition')}",
}.items():
    _name = "".join("_" + c.lower() if c.isupper() else c for c in _operation).lstrip("_")
    setattr(
        ecs.EC2ContainerServiceResponse,
        _name,
        _recording(_operation, _detail)(getattr(ecs.EC2ContainerServiceResponse, _name)),
    )


def _scripted_outcome(account_id, region):
    backend = ssm_backends[account_id][region]
    parameter = backend._parameters.get(OUTCOME_PARAMETER)
    if not parameter:
        return None
    return json.loads(parameter[-1].value)


def _write_log(account_id, region, task, container, lines):
    options = (container.get("logConfiguration") or {}).get("options") or {}
    group, prefix = options.get("awslogs-group"), options.get("awslogs-stream-prefix")
    if not group or not prefix or not lines:
        return
    logs = logs_backends[account_id][region]
    if group not in logs.groups:
        return
    stream = f"{prefix}/{container['name']}/{task.id}"
    if stream not in logs.groups[group].streams:
        logs.create_log_stream(group, stream)
    now = int(time.time() * 1000)
    logs.put_log_events(group, stream, [{"timestamp": now + i, "message": m} for i, m in enumerate(lines)])


def _settle(backend, task):
    """Gives a stopped one-off task its scripted outcome, once."""
    if getattr(task, "_hello_you_settled", True) or task.last_status != "STOPPED":
        return
    task._hello_you_settled = True
    overrides = {o.get("name"): o for o in task.overrides.get("containerOverrides", [])}
    definition = backend.describe_task_definition(task.task_definition_arn)
    outcome = _scripted_outcome(backend.account_id, task.region_name)
    for container in task.containers:
        if "command" not in overrides.get(container.name, {}):
            continue
        if outcome is None:
            container.exitCode = None
            task.stopped_reason = f"emulator: no outcome scripted in SSM {OUTCOME_PARAMETER}"
            continue
        container.exitCode = outcome.get("exitCode")
        task.stopped_reason = outcome.get("stoppedReason", "Essential container in task exited")
        spec = next(c for c in definition.container_definitions if c["name"] == container.name)
        _write_log(backend.account_id, task.region_name, task, spec, outcome.get("log", []))


_requirements = ecs_models.EC2ContainerServiceBackend._calculate_task_resource_requirements


class _WithContainerMemory:
    """The task definition as RunTask's arithmetic sees it: each container's memory, 0 if unset."""

    def __init__(self, definition):
        self.container_definitions = [
            c if any(k in c for k in ("memory", "memoryReservation", "Memory", "MemoryReservation"))
            else {**c, "memory": 0}
            for c in definition.container_definitions
        ]


def _requirements_fargate(task_definition):
    return _requirements(_WithContainerMemory(task_definition))


ecs_models.EC2ContainerServiceBackend._calculate_task_resource_requirements = staticmethod(
    _requirements_fargate
)

_run_task = ecs_models.EC2ContainerServiceBackend.run_task


def _run_task_with_outcome(self, *args, **kwargs):
    tasks = _run_task(self, *args, **kwargs)
    for task in tasks:
        # Only one-off tasks with a command override get a scripted outcome.
        task._hello_you_settled = not any(
            "command" in o for o in task.overrides.get("containerOverrides", [])
        )
    return tasks


_describe_tasks = ecs_models.EC2ContainerServiceBackend.describe_tasks


def _describe_tasks_with_outcome(self, cluster_str, tasks):
    found = _describe_tasks(self, cluster_str, tasks)
    for task in found:
        _settle(self, task)
    return found


ecs_models.EC2ContainerServiceBackend.run_task = _run_task_with_outcome
ecs_models.EC2ContainerServiceBackend.describe_tasks = _describe_tasks_with_outcome
