"""moto's server with the emulator gaps that block our stacks patched, each one named and small.

Started by scripts/emulator/moto.ts as `python moto_shims.py -H 127.0.0.1 -p PORT`.
The one other gap we bridge, RPC v2 CBOR, is a protocol matter and lives in rpcv2-cbor.ts.
"""
import secrets
import string
import sys

import json

import moto.applicationautoscaling.responses as appautoscaling
import moto.rds.models as rds
import moto.secretsmanager.models as secretsmanager
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

_create_replica = rds.RDSBackend.create_db_instance_read_replica


def _replica_with_own_id(self, db_kwargs):
    replica = _create_replica(self, db_kwargs)
    replica.dbi_resource_id = _resource_id()
    return replica


rds.RDSBackend.create_db_instance_read_replica = _replica_with_own_id

# Gap 2: moto's Application Auto Scaling has no tagging API; the provider lists a scalable
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

# Gap 3: moto refuses GetResourcePolicy on a replica secret. Real Secrets Manager refuses only
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

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
