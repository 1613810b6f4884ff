"""moto's server with the emulator gaps that block our stacks patched, each one named and small.

Started by harness/emulator/moto.ts as `python moto_shims.py -H 127.0.0.1 -p PORT`.
Here: gaps moto has in storing what the provider sends and reads back (1, 2, 4, 5, 7). In shims/:
behaviour over time that the runs must be able to fail on, each module naming the AWS behaviour it
restores and driven by moto's state and what the test declares (shims/control.py): ECS rollouts
(ecs_rollout.py), target health (target_health.py), what an ALB answers (alb.py), RDS promotion
(rds_promotion.py), automated-backup replication (backup_replication.py). The one other gap we
bridge, RPC v2 CBOR, is a protocol matter and lives in rpcv2-cbor.ts.
"""
import copy
import json
import secrets
import string
import sys
from urllib.parse import parse_qs

import moto.applicationautoscaling.responses as appautoscaling
import moto.ecs.responses as ecs
import moto.rds.models as rds
import moto.secretsmanager.models as secretsmanager
import moto.server as server

from shims import alb, backup_replication, ecr_pull_through, ecs_rollout, rds_promotion, target_health  # noqa: F401

_ALPHABET = string.ascii_uppercase + string.digits


def _resource_id():
    return "db-" + "".join(secrets.choice(_ALPHABET) for _ in range(26))


# Gap 1: moto gives every DB instance the same DbiResourceId, and a read replica is a copy of its
# source. The AWS provider identifies an instance by that ID (a `dbi-resource-id` filter), so
# with a writer and a replica in one region it finds two and fails with "couldn't find resource".
# Real RDS gives each instance its own.
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html (DbiResourceId)
_init = rds.DBInstance.__init__


def _init_with_unique_id(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self.dbi_resource_id = _resource_id()


rds.DBInstance.__init__ = _init_with_unique_id

# Gap 2: a cross-region replica is built as a copy of its source and keeps the source's region
# while its settings are applied, so its subnet group is looked up in the wrong region
# (DBSubnetGroupNotFoundFault). Place the copy in this region first. Each replica also gets its
# own resource ID (gap 1).
# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstanceReadReplica.html
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


# Gap 4: moto's Application Auto Scaling has no tagging API; the provider lists a scalable
# target's tags after creating it and fails when the call is unknown. Tags are kept per ARN,
# per account and region, as the real service keeps them.
# https://docs.aws.amazon.com/autoscaling/application/APIReference/API_ListTagsForResource.html
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
# https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html
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

# Gap 7: moto drops a service's capacity-provider strategy. The provider then sees it change on
# every plan and stops ("force_new_deployment should be true when capacity_provider_strategy is
# being updated"), destroy included. Keep the strategy the service was created or updated with.
# https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html (capacityProviderStrategy)
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

# The emulator's answer to HTTP sent to a load balancer's DNS name (shims/alb.py). The proxy sends
# it here as GET /_emulator/alb?dns=&host=&path=&port=; 404 means no load balancer has that name.
ALB_PATH = "/_emulator/alb"
_dispatch = server.DomainDispatcherApplication.__call__


def _dispatch_with_alb(self, environ, start_response):
    if environ.get("PATH_INFO") != ALB_PATH:
        return _dispatch(self, environ, start_response)
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    status = alb.answer(query.get("dns", ""), query.get("host", ""), query.get("path", "/"), query.get("port", "80"))
    if status is None:
        start_response("404 Not Found", [("content-type", "text/plain")])
        return [b"no load balancer answers to that name\n"]
    start_response(f"{status} ALB", [("content-type", "text/plain")])
    return [f"{status}\n".encode()]


server.DomainDispatcherApplication.__call__ = _dispatch_with_alb

import release_shims  # noqa: E402,F401  the release rehearsal's gaps (release_shims.py)

if __name__ == "__main__":
    sys.exit(server.main(sys.argv[1:]))
