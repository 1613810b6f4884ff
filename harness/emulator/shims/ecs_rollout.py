"""ECS rollouts as AWS runs them, driven by what the test declares about the tasks (control.py).

Restores (moto 5.2.5 has no service-deployment API, and its deployments never move):
- A deployment's rolloutState follows its tasks: COMPLETED only when as many tasks run as the
  service wants and they are healthy; IN_PROGRESS while they are pending, unhealthy, draining or
  fewer than desired; FAILED once the deployment circuit breaker's threshold of failed tasks is
  reached (0.5 x desired, at least 3, at most 200), when the breaker is enabled.
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeploymentCircuitBreaker.html
- The running count follows the desired count as far as the declared tasks allow (moto fixes it
  at MOTO_ECS_SERVICE_RUNNING on create).
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html
- A new task definition starts a new deployment, as forceNewDeployment does (moto only renews
  the deployment on force).
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
- ListServiceDeployments and DescribeServiceDeployments, with the status a deployment really has
  (SUCCESSFUL, IN_PROGRESS, STOPPED when superseded or failed without rollback,
  ROLLBACK_SUCCESSFUL / ROLLBACK_FAILED when the breaker rolls back), the createdAt filter
  (before/after) and the status filter the provider sends.
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceDeployments.html

Time is counted in observations, not minutes: each read of a service (DescribeServices, the
deployment APIs, its target group's health) is one look, and a look at unhealthy tasks counts
one more failed task. A rollback is reported, not performed (the service keeps its task
definition).
"""
import json
import math
from datetime import datetime, timezone

import moto.ecs.models as ecs_models
import moto.ecs.responses as ecs_responses
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random

from . import control


def _epoch(moment):
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _primary(service):
    return next((d for d in service.deployments if d.get("status") == "PRIMARY"), None)


def _history(service):
    if not hasattr(service, "hy_history"):
        service.hy_history = []
    return service.hy_history


def _breaker(service):
    return getattr(service, "hy_breaker", {}) or {}


def threshold(desired):
    return min(200, max(3, math.ceil(0.5 * desired)))


def advance(service):
    """One look at the service: its tasks and PRIMARY deployment move as the test declared."""
    deployment = _primary(service)
    if deployment is None or service.status != "ACTIVE":
        return
    health, cap = control.tasks_of(service.region_name, service.cluster_name, service.name)
    desired = service.desired_count
    running = 0 if health == "pending" else desired if cap is None else min(int(cap), desired)
    service.running_count = running
    service.pending_count = desired - running
    deployment.update(desiredCount=desired, runningCount=running, pendingCount=desired - running)
    deployment["updatedAt"] = utcnow()
    if deployment.get("rolloutState") == "FAILED":
        return
    name = deployment["id"]
    if desired == 0 or (health == "healthy" and running >= desired):
        deployment["rolloutState"] = "COMPLETED"
        deployment["rolloutStateReason"] = f"ECS deployment {name} completed."
        return
    deployment["rolloutState"] = "IN_PROGRESS"
    deployment["rolloutStateReason"] = f"ECS deployment {name} in progress."
    if health == "unhealthy" and running > 0:
        deployment["failedTasks"] = int(deployment.get("failedTasks") or 0) + 1
        if _breaker(service).get("enable") and deployment["failedTasks"] >= threshold(desired):
            deployment["rolloutState"] = "FAILED"
            deployment["rolloutStateReason"] = "ECS deployment circuit breaker: tasks failed to start."


def deployment_status(service, deployment):
    """The ServiceDeployment status of the PRIMARY deployment, and its reason."""
    state = deployment.get("rolloutState")
    if state == "COMPLETED":
        return "SUCCESSFUL", None
    if state != "FAILED":
        return "IN_PROGRESS", None
    reason = deployment.get("rolloutStateReason")
    if not _breaker(service).get("rollback"):
        return "STOPPED", reason
    earlier = any(h["status"] == "SUCCESSFUL" for h in _history(service))
    return ("ROLLBACK_SUCCESSFUL" if earlier else "ROLLBACK_FAILED"), reason


def _start_new_deployment(service, previous):
    """Files the superseded deployment and gives PRIMARY a fresh id, time and counts."""
    status, reason = deployment_status(service, previous)
    if status == "IN_PROGRESS":
        status, reason = "STOPPED", "superseded by a newer deployment"
    _history(service).append(
        {"id": previous["id"], "createdAt": previous["createdAt"], "status": status, "reason": reason}
    )
    deployment = _primary(service)
    if deployment["id"] == previous["id"]:
        deployment["id"] = f"ecs-svc/{mock_random.randint(0, 32**12)}"
        deployment["createdAt"] = utcnow()
    deployment.update(
        failedTasks=0,
        runningCount=0,
        pendingCount=service.desired_count,
        rolloutState="IN_PROGRESS",
        rolloutStateReason=f"ECS deployment {deployment['id']} in progress.",
        taskDefinition=service.task_definition,
    )


_update_service = ecs_models.EC2ContainerServiceBackend.update_service


def _update_service_with_deployments(self, service_properties):
    service = self._get_service(
        service_properties.get("cluster", "default"), service_properties["service"].split("/")[-1]
    )
    before = dict(_primary(service) or {})
    task_definition = service.task_definition
    forced = bool(service_properties.get("force_new_deployment"))
    service = _update_service(self, service_properties)
    if before and (forced or service.task_definition != task_definition):
        _start_new_deployment(service, before)
    return service


def _keeping_breaker(handler):
    """Keeps the circuit breaker settings moto's Service does not store."""

    def wrapped(self):
        result = handler(self)
        config = self._get_param("deploymentConfiguration")
        if config is not None:
            cluster = (self._get_param("cluster") or "default").split("/")[-1]
            name = (self._get_param("serviceName") or self._get_param("service") or "").split("/")[-1]
            service = self.ecs_backend.services.get(f"{cluster}:{name}")
            if service is not None:
                service.hy_breaker = config.get("deploymentCircuitBreaker") or {}
        return result

    return wrapped


_describe_services = ecs_models.EC2ContainerServiceBackend.describe_services


def _describe_services_advancing(self, cluster_str, service_names_or_arns):
    services, failures = _describe_services(self, cluster_str, service_names_or_arns)
    for service in services:
        advance(service)
    return services, failures


def _arns(self, service, deployment_id):
    prefix = f"arn:aws:ecs:{self.region}:{self.current_account}"
    path = f"{service.cluster_name}/{service.name}/{deployment_id.split('/')[-1]}"
    return f"{prefix}:service-deployment/{path}", f"{prefix}:service-revision/{path}"


def _deployments_of(self, service):
    """Every deployment of a service, oldest first, as ServiceDeployment records."""
    advance(service)
    records = [dict(h) for h in _history(service)]
    primary = _primary(service)
    if primary is not None:
        status, reason = deployment_status(service, primary)
        records.append({"id": primary["id"], "createdAt": primary["createdAt"], "status": status, "reason": reason})
    out = []
    for record in records:
        arn, revision = _arns(self, service, record["id"])
        entry = {
            "serviceDeploymentArn": arn,
            "serviceArn": service.arn,
            "clusterArn": service.cluster_arn,
            "targetServiceRevisionArn": revision,
            "status": record["status"],
            "createdAt": _epoch(record["createdAt"]),
        }
        if record["reason"]:
            entry["statusReason"] = record["reason"]
        out.append(entry)
    return out


def _find_service(self, cluster, name):
    cluster = (cluster or "default").split("/")[-1]
    return self.ecs_backend.services.get(f"{cluster}:{(name or '').split('/')[-1]}")


def _as_epoch(value):
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


def _list_service_deployments(self):
    service = _find_service(self, self._get_param("cluster"), self._get_param("service"))
    if service is None:
        return self._error("ServiceNotFoundException", "Service not found.")
    window = self._get_param("createdAt") or {}
    after, before = _as_epoch(window.get("after")), _as_epoch(window.get("before"))
    statuses = set(self._get_param("status") or [])
    briefs = [
        {k: v for k, v in d.items()}
        for d in _deployments_of(self, service)
        if (after is None or d["createdAt"] > after)
        and (before is None or d["createdAt"] < before)
        and (not statuses or d["status"] in statuses)
    ]
    # Newest first, as ECS lists them.
    briefs.sort(key=lambda d: d["createdAt"], reverse=True)
    return json.dumps({"serviceDeployments": briefs})


def _describe_service_deployments(self):
    wanted = list(self._get_param("serviceDeploymentArns") or [])
    found = []
    for service in list(self.ecs_backend.services.values()):
        for d in _deployments_of(self, service):
            if d["serviceDeploymentArn"] in wanted:
                record = dict(d)
                record["targetServiceRevision"] = {"arn": record.pop("targetServiceRevisionArn")}
                found.append(record)
    missing = [
        {"arn": a, "reason": "MISSING"} for a in wanted if a not in {d["serviceDeploymentArn"] for d in found}
    ]
    return json.dumps({"serviceDeployments": found, "failures": missing})


def _error(self, code, message):
    return 400, {}, json.dumps({"__type": code, "message": message})


ecs_models.EC2ContainerServiceBackend.update_service = _update_service_with_deployments
ecs_models.EC2ContainerServiceBackend.describe_services = _describe_services_advancing
_responses = ecs_responses.EC2ContainerServiceResponse
_responses.create_service = _keeping_breaker(_responses.create_service)
_responses.update_service = _keeping_breaker(_responses.update_service)
_responses.list_service_deployments = _list_service_deployments
_responses.describe_service_deployments = _describe_service_deployments
_responses._error = _error
