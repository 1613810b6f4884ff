"""Each shim failing where AWS would fail (run by `npm run test:shims`, in CI and from jest).

In-process moto (mock_aws) with every patch of moto_shims.py applied.
"""
import os
import sys
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402

import moto_shims  # noqa: E402,F401  (applies every patch)
from shims import alb, control, rds_promotion  # noqa: E402

A, B = "us-east-1", "us-west-2"
KEYS = dict(aws_access_key_id="x", aws_secret_access_key="x")


def client(name, region=B):
    return boto3.client(name, region_name=region, **KEYS)


class Ecs:
    """A cluster, a task definition and a service behind a target group and an ALB."""

    def __init__(self, desired=2, breaker=None):
        ec2, self.ecs, self.elb = client("ec2"), client("ecs"), client("elbv2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{B}{z}")["Subnet"]["SubnetId"]
            for i, z in enumerate("ab")
        ]
        self.tg = self.elb.create_target_group(Name="tg", Protocol="HTTP", Port=5000, VpcId=vpc, TargetType="ip")[
            "TargetGroups"
        ][0]["TargetGroupArn"]
        lb = self.elb.create_load_balancer(Name="alb", Subnets=subnets)["LoadBalancers"][0]
        self.dns = lb["DNSName"]
        self.listener = self.elb.create_listener(
            LoadBalancerArn=lb["LoadBalancerArn"],
            Protocol="HTTP",
            Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": self.tg}],
        )["Listeners"][0]["ListenerArn"]
        self.ecs.create_cluster(clusterName="c")
        self.td = self.ecs.register_task_definition(
            family="app", containerDefinitions=[{"name": "app", "image": "x", "memory": 512}]
        )["taskDefinition"]["taskDefinitionArn"]
        kwargs = {"deploymentConfiguration": {"deploymentCircuitBreaker": breaker}} if breaker else {}
        self.ecs.create_service(
            cluster="c",
            serviceName="svc",
            taskDefinition=self.td,
            desiredCount=desired,
            loadBalancers=[{"targetGroupArn": self.tg, "containerName": "app", "containerPort": 5000}],
            **kwargs,
        )

    def service(self):
        return self.ecs.describe_services(cluster="c", services=["svc"])["services"][0]

    def deployments(self, **kw):
        return self.ecs.list_service_deployments(cluster="c", service="svc", **kw)["serviceDeployments"]

    def health(self):
        return [t["TargetHealth"] for t in self.elb.describe_target_health(TargetGroupArn=self.tg)["TargetHealthDescriptions"]]


def declare(health, running=None):
    value = health if running is None else {"health": health, "running": running}
    control.use_for_tests({"tasks": {"*": value}})


@mock_aws
class EcsRollout(unittest.TestCase):
    def tearDown(self):
        control.use_for_tests(None)

    def test_nothing_declared_nothing_runs_and_nothing_completes(self):
        control.use_for_tests({})
        ecs = Ecs()
        self.assertEqual(ecs.service()["runningCount"], 0)
        self.assertEqual(ecs.service()["deployments"][0]["rolloutState"], "IN_PROGRESS")
        self.assertEqual([d["status"] for d in ecs.deployments()], ["IN_PROGRESS"])
        self.assertEqual(ecs.health(), [])

    def test_desired_two_with_one_running_is_not_successful(self):
        declare("healthy", running=1)
        ecs = Ecs(desired=2)
        self.assertEqual(ecs.service()["runningCount"], 1)
        self.assertEqual([d["status"] for d in ecs.deployments()], ["IN_PROGRESS"])
        declare("healthy")
        self.assertEqual(ecs.service()["runningCount"], 2)
        self.assertEqual([d["status"] for d in ecs.deployments()], ["SUCCESSFUL"])

    def test_running_count_follows_desired_count(self):
        declare("healthy")
        ecs = Ecs(desired=1)
        ecs.ecs.update_service(cluster="c", service="svc", desiredCount=3)
        self.assertEqual(ecs.service()["runningCount"], 3)
        self.assertEqual(len(ecs.health()), 3)
        ecs.ecs.update_service(cluster="c", service="svc", desiredCount=0)
        self.assertEqual(ecs.health(), [])

    def test_created_at_filter(self):
        declare("healthy")
        ecs = Ecs()
        later = datetime.now(timezone.utc) + timedelta(minutes=5)
        earlier = datetime.now(timezone.utc) - timedelta(minutes=5)
        self.assertEqual(ecs.deployments(createdAt={"after": later}), [])
        self.assertEqual(len(ecs.deployments(createdAt={"after": earlier})), 1)
        self.assertEqual(ecs.deployments(createdAt={"before": earlier}), [])

    def test_unhealthy_tasks_trip_the_breaker_and_nothing_to_roll_back_to(self):
        declare("unhealthy")
        ecs = Ecs(desired=2, breaker={"enable": True, "rollback": True})
        statuses = [ecs.deployments()[0]["status"] for _ in range(4)]
        self.assertEqual(statuses[0], "IN_PROGRESS")
        self.assertEqual(statuses[-1], "ROLLBACK_FAILED")
        arn = ecs.deployments()[0]["serviceDeploymentArn"]
        described = ecs.ecs.describe_service_deployments(serviceDeploymentArns=[arn])["serviceDeployments"][0]
        self.assertEqual(described["statusReason"], "ECS deployment circuit breaker: tasks failed to start.")
        self.assertEqual({h["State"] for h in ecs.health()}, {"unhealthy"})

    def test_unhealthy_without_breaker_never_completes(self):
        declare("unhealthy")
        ecs = Ecs(desired=2)
        for _ in range(10):
            self.assertEqual(ecs.deployments()[0]["status"], "IN_PROGRESS")

    def test_new_deployment_rolls_back_to_the_completed_one(self):
        declare("healthy")
        ecs = Ecs(desired=1, breaker={"enable": True, "rollback": True})
        self.assertEqual(ecs.deployments()[0]["status"], "SUCCESSFUL")
        first = ecs.service()["deployments"][0]["createdAt"]
        declare("unhealthy")
        ecs.ecs.update_service(cluster="c", service="svc", forceNewDeployment=True)
        for _ in range(4):
            ecs.deployments()
        statuses = [d["status"] for d in ecs.deployments()]
        self.assertEqual(statuses, ["ROLLBACK_SUCCESSFUL", "SUCCESSFUL"])
        self.assertGreater(ecs.service()["deployments"][0]["createdAt"], first)

    def test_new_task_definition_starts_a_new_deployment(self):
        declare("healthy")
        ecs = Ecs(desired=1)
        old = ecs.service()["deployments"][0]["id"]
        td = ecs.ecs.register_task_definition(
            family="app", containerDefinitions=[{"name": "app", "image": "y", "memory": 512}]
        )["taskDefinition"]["taskDefinitionArn"]
        ecs.ecs.update_service(cluster="c", service="svc", taskDefinition=td)
        self.assertNotEqual(ecs.service()["deployments"][0]["id"], old)
        self.assertEqual(len(ecs.deployments()), 2)

    def test_draining_targets_are_not_healthy(self):
        declare("draining")
        ecs = Ecs(desired=2)
        self.assertEqual([h["State"] for h in ecs.health()], ["draining", "draining"])
        self.assertEqual(ecs.deployments()[0]["status"], "IN_PROGRESS")


@mock_aws
class AlbAnswer(unittest.TestCase):
    def tearDown(self):
        control.use_for_tests(None)

    def test_answers_from_target_health(self):
        declare("healthy")
        ecs = Ecs(desired=1)
        self.assertEqual(alb.answer(ecs.dns, ecs.dns, "/health", 80), 200)
        declare("unhealthy")
        self.assertEqual(alb.answer(ecs.dns, ecs.dns, "/health", 80), 500)
        declare("pending")
        self.assertEqual(alb.answer(ecs.dns, ecs.dns, "/health", 80), 503)
        self.assertIsNone(alb.answer("nope-1.us-west-2.elb.amazonaws.com", "x", "/", 80))
        self.assertIsNone(alb.answer(ecs.dns, ecs.dns, "/health", 443))

    def test_rules_in_priority_order(self):
        declare("healthy")
        ecs = Ecs(desired=1)
        ecs.elb.create_rule(
            ListenerArn=ecs.listener,
            Priority=1,
            Conditions=[{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/fence"]}}],
            Actions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "418", "ContentType": "text/plain"}}],
        )
        self.assertEqual(alb.answer(ecs.dns, ecs.dns, "/fence", 80), 418)
        self.assertEqual(alb.answer(ecs.dns, ecs.dns, "/health", 80), 200)


def replica_pair():
    rds = client("rds")
    for name, extra in (("writer", {}), ("reader", {"SourceDBInstanceIdentifier": "writer"})):
        if extra:
            rds.create_db_instance_read_replica(DBInstanceIdentifier=name, DBInstanceClass="db.t3.micro", **extra)
        else:
            rds.create_db_instance(
                DBInstanceIdentifier=name,
                DBInstanceClass="db.t3.micro",
                Engine="postgres",
                MasterUsername="u",
                MasterUserPassword="password1",
                AllocatedStorage=20,
                BackupRetentionPeriod=7,
            )
    return rds


@mock_aws
class RdsPromotion(unittest.TestCase):
    def test_promotion_passes_through_modifying(self):
        rds = replica_pair()
        rds.promote_read_replica(DBInstanceIdentifier="reader")
        seen = []
        for _ in range(rds_promotion.POLLS + 1):
            db = rds.describe_db_instances(DBInstanceIdentifier="reader")["DBInstances"][0]
            seen.append((db["DBInstanceStatus"], db.get("ReadReplicaSourceDBInstanceIdentifier")))
        self.assertEqual(seen[0], ("modifying", "writer"))
        self.assertEqual(seen[-1], ("available", None))

    def test_promoting_twice_or_a_writer_is_refused(self):
        rds = replica_pair()
        rds.promote_read_replica(DBInstanceIdentifier="reader")
        for name in ("reader", "writer"):
            with self.assertRaises(ClientError) as raised:
                rds.promote_read_replica(DBInstanceIdentifier=name)
            self.assertEqual(raised.exception.response["Error"]["Code"], "InvalidDBInstanceState")


@mock_aws
class BackupReplication(unittest.TestCase):
    def setUp(self):
        self.rds_a = client("rds", A)
        self.rds_a.create_db_instance(
            DBInstanceIdentifier="src",
            DBInstanceClass="db.t3.micro",
            Engine="postgres",
            MasterUsername="u",
            MasterUserPassword="password1",
            AllocatedStorage=20,
            BackupRetentionPeriod=7,
            StorageEncrypted=True,
        )
        self.source = self.rds_a.describe_db_instances()["DBInstances"][0]["DBInstanceArn"]
        self.key_b = client("kms", B).create_key()["KeyMetadata"]["Arn"]
        self.key_a = client("kms", A).create_key()["KeyMetadata"]["Arn"]

    def refused(self, code, region=B, **kw):
        with self.assertRaises(ClientError) as raised:
            client("rds", region).start_db_instance_automated_backups_replication(**kw)
        self.assertEqual(raised.exception.response["Error"]["Code"], code)

    def test_inputs_are_checked(self):
        self.refused("InvalidParameterCombination", SourceDBInstanceArn=self.source)
        self.refused("KMSKeyNotAccessibleFault", SourceDBInstanceArn=self.source, KmsKeyId=self.key_a)
        self.refused("InvalidParameterValue", region=A, SourceDBInstanceArn=self.source, KmsKeyId=self.key_a)
        self.refused("DBInstanceNotFound", SourceDBInstanceArn=self.source + "x", KmsKeyId=self.key_b)
        self.refused("InvalidParameterValue", SourceDBInstanceArn="src", KmsKeyId=self.key_b)
        self.refused(
            "InvalidParameterValue", SourceDBInstanceArn=self.source, KmsKeyId=self.key_b, BackupRetentionPeriod=36
        )
        self.rds_a.modify_db_instance(DBInstanceIdentifier="src", BackupRetentionPeriod=0, ApplyImmediately=True)
        self.refused("InvalidDBInstanceState", SourceDBInstanceArn=self.source, KmsKeyId=self.key_b)

    def test_valid_replication_is_kept(self):
        rds_b = client("rds", B)
        rds_b.start_db_instance_automated_backups_replication(SourceDBInstanceArn=self.source, KmsKeyId=self.key_b)
        found = rds_b.describe_db_instance_automated_backups()["DBInstanceAutomatedBackups"]
        self.assertEqual([(b["DBInstanceArn"], b["Status"]) for b in found], [(self.source, "replicating")])


@mock_aws
class EcrPullThroughCache(unittest.TestCase):
    def setUp(self):
        self.ecr, self.sm = client("ecr"), client("secretsmanager")
        self.secret = self.sm.create_secret(Name="ecr-pullthroughcache/ghcr")["ARN"]

    def refused(self, code, **kw):
        args = {"ecrRepositoryPrefix": "ghcr", "upstreamRegistryUrl": "ghcr.io", "credentialArn": self.secret, **kw}
        with self.assertRaises(ClientError) as raised:
            self.ecr.create_pull_through_cache_rule(**{k: v for k, v in args.items() if v is not None})
        self.assertEqual(raised.exception.response["Error"]["Code"], code)

    def test_a_secret_without_a_value_or_the_wrong_secret_is_refused(self):
        self.refused("UnableToAccessSecretException")
        other = self.sm.create_secret(Name="registry", SecretString="{}")["ARN"]
        self.refused("InvalidParameterException", credentialArn=other)
        self.refused("InvalidParameterException", credentialArn=None)
        self.refused("SecretNotFoundException", credentialArn=self.secret.replace("ghcr", "gone"))

    def test_inputs_are_checked(self):
        self.sm.put_secret_value(SecretId=self.secret, SecretString='{"username":"u","accessToken":"t"}')
        self.refused("InvalidParameterException", ecrRepositoryPrefix="Gh")
        self.refused("UnsupportedUpstreamRegistryException", upstreamRegistryUrl="example.com")

    def test_a_rule_is_kept_once_and_deleted(self):
        self.sm.put_secret_value(SecretId=self.secret, SecretString='{"username":"u","accessToken":"t"}')
        self.ecr.create_pull_through_cache_rule(
            ecrRepositoryPrefix="ghcr", upstreamRegistryUrl="ghcr.io", credentialArn=self.secret
        )
        self.refused("PullThroughCacheRuleAlreadyExistsException")
        [rule] = self.ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["ghcr"])["pullThroughCacheRules"]
        self.assertEqual((rule["upstreamRegistryUrl"], rule["credentialArn"]), ("ghcr.io", self.secret))
        self.ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="ghcr")
        with self.assertRaises(ClientError) as raised:
            self.ecr.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["ghcr"])
        self.assertEqual(raised.exception.response["Error"]["Code"], "PullThroughCacheRuleNotFoundException")


if __name__ == "__main__":
    unittest.main()
