"""Automated-backup replication (moto has none), with the checks RDS makes on its inputs.

Restores StartDBInstanceAutomatedBackupsReplication, DescribeDBInstanceAutomatedBackups and
StopDBInstanceAutomatedBackupsReplication, one record per replication in the destination region,
with the fields the provider reads back. Start refuses, as RDS does: a source that is not a DB
instance ARN or lies in this same region (InvalidParameterValue), an unknown source
(DBInstanceNotFound), a source without automated backups (InvalidDBInstanceState), an encrypted
source without a KmsKeyId (InvalidParameterCombination), a KMS key that is not a key of this
region (KMSKeyNotAccessibleFault), a retention outside 1 to 35 days (InvalidParameterValue).
https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StartDBInstanceAutomatedBackupsReplication.html
https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html
"""
import re
import secrets
import string

import moto.kms.models as kms
import moto.rds.models as rds
import moto.rds.responses as rds_responses
from moto.core.responses import ActionResult
from moto.rds.exceptions import RDSClientError

_SOURCE = re.compile(r"^arn:aws[\w-]*:rds:([a-z0-9-]+):(\d{12}):db:([A-Za-z][A-Za-z0-9-]*)$")
_KEY = re.compile(r"^arn:aws[\w-]*:kms:([a-z0-9-]+):(\d{12}):key/([A-Za-z0-9-]+)$")
_replications = {}


def _records(response):
    return _replications.setdefault((response.current_account, response.region), {})


def _suffix():
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(26))


def validated_source(response, source_arn, kms_key_id, retention):
    """The source instance, or the RDSClientError RDS would answer."""
    match = _SOURCE.match(source_arn or "")
    if not match:
        raise RDSClientError("InvalidParameterValue", f"SourceDBInstanceArn {source_arn!r} is not a DB instance ARN.")
    region, account, identifier = match.groups()
    if region == response.region:
        raise RDSClientError(
            "InvalidParameterValue",
            f"The source DB instance is in {region}: automated backups replicate to a different Region.",
        )
    source = rds.rds_backends[account][region].databases.get(identifier)
    if source is None:
        raise RDSClientError("DBInstanceNotFound", f"DBInstance {source_arn} not found.")
    if not int(source.backup_retention_period or 0):
        raise RDSClientError(
            "InvalidDBInstanceState", f"Automated backups are not enabled on {identifier} (backup retention 0)."
        )
    if source.storage_encrypted and not kms_key_id:
        raise RDSClientError(
            "InvalidParameterCombination",
            "KmsKeyId is required to replicate the automated backups of an encrypted DB instance.",
        )
    if kms_key_id:
        key = _KEY.match(kms_key_id)
        keys = kms.kms_backends[response.current_account][response.region].keys if key else {}
        if not key or key.group(1) != response.region or key.group(3) not in keys:
            raise RDSClientError(
                "KMSKeyNotAccessibleFault",
                f"Specified KMS key [{kms_key_id}] does not exist, is not enabled or you do not have permissions to access it.",
            )
    if retention is not None and not 1 <= int(retention) <= 35:
        raise RDSClientError("InvalidParameterValue", f"BackupRetentionPeriod {retention} is not between 1 and 35.")
    return source


def _start(self):
    source_arn = self._get_param("SourceDBInstanceArn")
    kms_key_id = self._get_param("KmsKeyId")
    retention = self._get_param("BackupRetentionPeriod")
    source = validated_source(self, source_arn, kms_key_id, retention)
    arn = f"arn:aws:rds:{self.region}:{self.current_account}:auto-backup:ab-{_suffix()}"
    record = {
        "DBInstanceArn": source_arn,
        "DbiResourceId": source.dbi_resource_id,
        "Region": source_arn.split(":")[3],
        "DBInstanceIdentifier": source_arn.split(":")[-1],
        "Status": "replicating",
        "Engine": source.engine,
        "KmsKeyId": kms_key_id,
        "BackupRetentionPeriod": int(retention or 7),
        "DBInstanceAutomatedBackupsArn": arn,
        "Encrypted": bool(source.storage_encrypted),
    }
    _records(self)[arn] = record
    return ActionResult({"DBInstanceAutomatedBackup": record})


def _describe(self):
    arn = self._get_param("DBInstanceAutomatedBackupsArn")
    found = [r for a, r in _records(self).items() if arn in (None, a)]
    return ActionResult({"DBInstanceAutomatedBackups": found})


def _stop(self):
    source_arn = self._get_param("SourceDBInstanceArn")
    records = _records(self)
    stopped = [a for a, r in records.items() if r["DBInstanceArn"] == source_arn]
    for a in stopped:
        records.pop(a)
    answer = {"DBInstanceArn": source_arn, "Status": "retained"} if stopped else {}
    return ActionResult({"DBInstanceAutomatedBackup": answer})


rds_responses.RDSResponse.start_db_instance_automated_backups_replication = _start
rds_responses.RDSResponse.describe_db_instance_automated_backups = _describe
rds_responses.RDSResponse.stop_db_instance_automated_backups_replication = _stop
