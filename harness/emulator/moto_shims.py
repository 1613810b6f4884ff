"""moto's server with the emulator gaps that block our stacks patched, each one named and small.

Started by harness/emulator/moto.ts as `python moto_shims.py -H 127.0.0.1 -p PORT`.
The one other gap we bridge, RPC v2 CBOR, is a protocol matter and lives in rpcv2-cbor.ts.
"""
import secrets
import string
import sys

import copy
import json

import moto.applicationautoscaling.responses as appautoscaling
import moto.ecs.models as ecs_models
import moto.ecs.responses as ecs
import moto.elbv2.models as elbv2
import moto.rds.models as rds
import moto.rds.responses as rds_responses
import moto.secretsmanager.models as secretsmanager
from moto.core.responses import ActionResult
from moto.server import main

_ALPHABET = string.ascii_uppercase + string.digits


def _resource_id():
    return "db-" + "".join(secrets.choice(_ALPHABET) for _ in range(26))


# Gap 1: moto gives every DB instance the same DbiResourceId, and a read replica is a copy of its
# source. The AWS provider identifies an instance by that ID (a `dbi-resource-id` filter), so
# with a writer and a replica in one region it finds two and fails with "couldn't find resource".
# Real RDS gives each instance its own.
_init = rds.DBInstance.__init__


def _init_with_unique_id(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self.dbi_resource_id = _resource_id()


rds.DBInstance.__init__ = _init_with_unique_id

# Gap 2: a cross-region replica is built as a copy of its source and keeps the source's region
# while its settings are applied, so its subnet group is looked up in the wrong region
# (DBSubnetGroupNotFoundFault). Place the copy in this region first. Each replica also gets its
# own resource ID (gap 1).
def _create_replica_here(self, db_kwargs):
    source_id = db_kwargs["source_db_instance_identifier"]
    primary = self.find_db_from_id(source_id)
    replica = copy.copy(primary)
    replica.backend = self
    db_kwargs.pop("backend", None)
    replica.update(**db_kwargs)
    replica.set_as_replica()
    replica.dbi_resource_id = _resource_id()
    self.databases[db_kwargs["db_instance_identifier"]] = replica
    primary.add_replica(replica)
    return replica


rds.RDSBackend.create_db_instance_read_replica = _create_replica_here


# Gap 3: moto has no automated-backup replication. Keep one record per replication, in the
# destination region, with the fields the provider reads back.
_backup_replications = {}


def _replications(self):
    return _backup_replications.setdefault((self.current_account, self.region), {})


def _start_backups_replication(self):
    source_arn = self._get_param("SourceDBInstanceArn")
    source = self.backend.find_db_from_id(source_arn)
    arn = f"arn:aws:rds:{self.region}:{self.current_account}:auto-backup:ab-{_resource_id()[3:].lower()}"
    record = {
        "DBInstanceArn": source_arn,
        "DbiResourceId": source.dbi_resource_id,
        "Region": source_arn.split(":")[3],
        "DBInstanceIdentifier": source_arn.split(":")[-1],
        "Status": "replicating",
        "Engine": source.engine,
        "KmsKeyId": self._get_param("KmsKeyId"),
        "BackupRetentionPeriod": int(self._get_param("BackupRetentionPeriod") or 7),
        "DBInstanceAutomatedBackupsArn": arn,
        "Encrypted": True,
    }
    _replications(self)[arn] = record
    return ActionResult({"DBInstanceAutomatedBackup": record})


def _describe_automated_backups(self):
    arn = self._get_param("DBInstanceAutomatedBackupsArn")
    found = [r for a, r in _replications(self).items() if arn in (None, a)]
    return ActionResult({"DBInstanceAutomatedBackups": found})


def _stop_backups_replication(self):
    source_arn = self._get_param("SourceDBInstanceArn")
    records = _replications(self)
    stopped = [a for a, r in records.items() if r["DBInstanceArn"] == source_arn]
    for a in stopped:
        records.pop(a)
    answer = {"DBInstanceArn": source_arn, "Status": "retained"} if stopped else {}
    return ActionResult({"DBInstanceAutomatedBackup": answer})


rds_responses.RDSResponse.start_db_instance_automated_backups_replication = _start_backups_replication
rds_responses.RDSResponse.describe_db_instance_automated_backups = _describe_automated_backups
rds_responses.RDSResponse.stop_db_instance_automated_backups_replication = _stop_backups_replication

# Gap 4: moto's Application Auto Scaling has no tagging API; the provider lists a scalable
# target's tags after creating it and fails when the call is unknown. Tags are kept per ARN,
# per account and region, as the real service keeps them.
_tags = {}


def _tag_store(response):
    return _tags.setdefault((response.current_account, response.region), {})


def _list_tags_for_resource(self):
    arn = self._get_param("ResourceARN")
    return json.dumps({"Tags": _tag_store(self).get(arn, {})})


def _tag_resource(self):
    arn = self._get_param("ResourceARN")
    _tag_store(self).setdefault(arn, {}).update(self._get_param("Tags") or {})
    return json.dumps({})


def _untag_resource(self):
    arn = self._get_param("ResourceARN")
    for key in self._get_param("TagKeys") or []:
        _tag_store(self).get(arn, {}).pop(key, None)
    return json.dumps({})


_register = appautoscaling.ApplicationAutoScalingResponse.register_scalable_target


def _register_with_tags(self):
    body = _register(self)
    tags = self._get_param("Tags")
    if tags:
        _tag_store(self).setdefault(json.loads(body)["ScalableTargetARN"], {}).update(tags)
    return body


_response = appautoscaling.ApplicationAutoScalingResponse
_response.list_tags_for_resource = _list_tags_for_resource
_response.tag_resource = _tag_resource
_response.untag_resource = _untag_resource
_response.register_scalable_target = _register_with_tags

# Gap 5: moto refuses GetResourcePolicy on a replica secret. Real Secrets Manager refuses only
# writes there (a replica "can't be updated independently from its primary") and answers reads,
# which the provider's aws_secretsmanager_secret data source makes in region B.
_get_policy = secretsmanager.SecretsManagerBackend.get_resource_policy


def _get_policy_of_replica(self, secret_id):
    secret = self.secrets[secret_id] if self._is_valid_identifier(secret_id) else None
    if isinstance(secret, secretsmanager.ReplicaSecret):
        answer = {"ARN": secret.arn, "Name": secret.name}
        if secret.source.policy is not None:
            answer["ResourcePolicy"] = secret.source.policy
        return json.dumps(answer)
    return _get_policy(self, secret_id)


secretsmanager.SecretsManagerBackend.get_resource_policy = _get_policy_of_replica

# Gap 6: moto has no ECS service-deployment API. With wait_for_steady_state the provider finds
# the deployment of the service's primary task set (ListServiceDeployments) and waits for it to
# succeed (DescribeServiceDeployments). moto starts a service's tasks at once (with
# MOTO_ECS_SERVICE_RUNNING), so its primary deployment is reported as the successful one.
def _deployment_arns(self, service, deployment):
    prefix = f"arn:aws:ecs:{self.region}:{self.current_account}"
    path = f"{service.cluster_name}/{service.name}/{deployment['id'].split('/')[-1]}"
    return f"{prefix}:service-deployment/{path}", f"{prefix}:service-revision/{path}"


def _services(self):
    return list(self.ecs_backend.services.values())


def _list_service_deployments(self):
    cluster = (self._get_param("cluster") or "default").split("/")[-1]
    name = (self._get_param("service") or "").split("/")[-1]
    briefs = []
    for service in _services(self):
        if service.cluster_name != cluster or service.name != name:
            continue
        for deployment in service.deployments:
            arn, revision = _deployment_arns(self, service, deployment)
            briefs.append(
                {
                    "serviceDeploymentArn": arn,
                    "serviceArn": service.arn,
                    "clusterArn": service.cluster_arn,
                    "targetServiceRevisionArn": revision,
                    "status": "SUCCESSFUL",
                    "createdAt": deployment["createdAt"].timestamp(),
                }
            )
    return json.dumps({"serviceDeployments": briefs})


def _describe_service_deployments(self):
    wanted = set(self._get_param("serviceDeploymentArns") or [])
    found = []
    for service in _services(self):
        for deployment in service.deployments:
            arn, revision = _deployment_arns(self, service, deployment)
            if arn in wanted:
                found.append(
                    {
                        "serviceDeploymentArn": arn,
                        "serviceArn": service.arn,
                        "clusterArn": service.cluster_arn,
                        "targetServiceRevision": {"arn": revision},
                        "status": "SUCCESSFUL",
                    }
                )
    missing = [{"arn": a, "reason": "MISSING"} for a in wanted - {d["serviceDeploymentArn"] for d in found}]
    return json.dumps({"serviceDeployments": found, "failures": missing})


# Gap 7: moto drops a service's capacity-provider strategy. The provider then sees it change on
# every plan and stops ("force_new_deployment should be true when capacity_provider_strategy is
# being updated"), destroy included. Keep the strategy the service was created or updated with.
def _keeping_strategy(handler):
    def wrapped(self):
        result = handler(self)
        strategy = self._get_param("capacityProviderStrategy")
        if strategy is not None:
            cluster = (self._get_param("cluster") or "default").split("/")[-1]
            name = (self._get_param("serviceName") or self._get_param("service") or "").split("/")[-1]
            service = self.ecs_backend.services.get(f"{cluster}:{name}")
            if service is not None:
                service.capacity_provider_strategy = strategy
                # A strategy and a launch type are exclusive in ECS.
                service.launch_type = None
        return result

    return wrapped


ecs.EC2ContainerServiceResponse.create_service = _keeping_strategy(
    ecs.EC2ContainerServiceResponse.create_service
)
ecs.EC2ContainerServiceResponse.update_service = _keeping_strategy(
    ecs.EC2ContainerServiceResponse.update_service
)
ecs.EC2ContainerServiceResponse.list_service_deployments = _list_service_deployments
ecs.EC2ContainerServiceResponse.describe_service_deployments = _describe_service_deployments

# Gap 8: moto's PromoteReadReplica clears is_replica but keeps the source identifier, so the
# instance still describes itself as a replica (ReadReplicaSourceDBInstanceIdentifier) and a
# recovery that waits for a standalone writer waits forever. RDS drops the source on promotion.
_promote = rds.RDSBackend.promote_read_replica


def _promote_for_good(self, db_kwargs):
    database = _promote(self, db_kwargs)
    database.source_db_instance_identifier = None
    return database


rds.RDSBackend.promote_read_replica = _promote_for_good

# Gap 9: moto's ECS runs no tasks, so nothing registers in a service's target group and the
# group never has a healthy target. Report, for a group that holds no registered target, one
# healthy target per running task of the ECS services attached to it, as ECS would register them.
_target_health = elbv2.ELBv2Backend.describe_target_health


def _health_with_service_tasks(self, target_group_arn, targets):
    found = _target_health(self, target_group_arn, targets)
    if found or targets:
        return found
    ecs_backend = ecs_models.ecs_backends[self.account_id][self.region_name]
    running = sum(
        service.running_count
        for service in ecs_backend.services.values()
        if any(lb.get("targetGroupArn") == target_group_arn for lb in service.load_balancers)
    )
    group = self.target_groups[target_group_arn]
    return [
        elbv2.FakeHealthStatus(f"10.255.0.{i + 1}", group.port, group.health_check_port, "healthy")
        for i in range(running)
    ]


elbv2.ELBv2Backend.describe_target_health = _health_with_service_tasks

# Gap 10: moto's UpdateService changes the service's counts but not its PRIMARY deployment's, so
# a deployment raised from 0 to 2 tasks keeps reporting 0 running. moto starts tasks at once: the
# deployment has what the service has, and is complete.
_update_service = ecs_models.EC2ContainerServiceBackend.update_service


def _update_with_deployment(self, service_properties):
    service = _update_service(self, service_properties)
    for deployment in service.deployments:
        if deployment.get("status") == "PRIMARY":
            deployment["desiredCount"] = service.desired_count
            deployment["runningCount"] = service.running_count
            deployment["pendingCount"] = 0
            deployment["rolloutState"] = "COMPLETED"
    return service


ecs_models.EC2ContainerServiceBackend.update_service = _update_with_deployment

import release_shims  # noqa: E402,F401  the release rehearsal's gaps (release_shims.py)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
