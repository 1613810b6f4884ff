"""RDS read-replica promotion as RDS runs it: not at once, and refused when there is nothing to do.

Restores:
- PromoteReadReplica starts a promotion: the instance reads `modifying` (still naming its source)
  for a few DescribeDBInstances polls, then `available` as a standalone instance with no
  ReadReplicaSourceDBInstanceIdentifier. moto promotes at once and keeps the source.
  https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_PromoteReadReplica.html
  https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html#Overview.DBInstance.Status
- Promoting an instance that is not a replica, or whose promotion is under way, fails with
  InvalidDBInstanceState (moto answers success).

Time is counted in polls: POLLS describes read `modifying`, the next reads the writer.
"""
import moto.rds.models as rds
import moto.rds.responses as rds_responses
from moto.rds.exceptions import RDSClientError

POLLS = 3


_promote = rds.RDSBackend.promote_read_replica


def _promote_over_time(self, db_kwargs):
    identifier = db_kwargs["db_instance_identifier"]
    database = self.databases.get(identifier)
    if database is None:
        raise RDSClientError("DBInstanceNotFound", f"DBInstance {identifier} not found.")
    if getattr(database, "hy_polls_left", 0) or not database.is_replica:
        raise RDSClientError(
            "InvalidDBInstanceState",
            f"DB instance {identifier} is not a read replica or is being promoted.",
        )
    source = database.source_db_instance_identifier
    database = _promote(self, db_kwargs)
    database.source_db_instance_identifier = source
    database.status = "modifying"
    database.hy_polls_left = POLLS
    return database


def _tick(backend):
    """One poll passes for every promotion under way in this account and region."""
    for database in list(backend.databases.values()):
        if getattr(database, "hy_polls_left", 0):
            database.hy_polls_left -= 1
            if not database.hy_polls_left:
                database.status = "available"
                database.source_db_instance_identifier = None


_describe = rds_responses.RDSResponse.describe_db_instances


def _describe_then_tick(self):
    result = _describe(self)
    _tick(self.backend)
    return result


rds.RDSBackend.promote_read_replica = _promote_over_time
rds_responses.RDSResponse.describe_db_instances = _describe_then_tick
