"""ECR pull-through cache rules (moto has none), with the checks ECR makes on its inputs.

Restores CreatePullThroughCacheRule, DescribePullThroughCacheRules, UpdatePullThroughCacheRule
and DeletePullThroughCacheRule, one record per repository prefix in each account and region.
Create and Update refuse, as ECR does: a prefix outside 2 to 30 characters or its pattern
(InvalidParameterException), a prefix that has a rule already (PullThroughCacheRuleAlreadyExists),
an upstream other than the registries ECR supports (UnsupportedUpstreamRegistryException), an
upstream that needs credentials without a credentialArn, or a credentialArn whose name does not
start with `ecr-pullthroughcache/` (InvalidParameterException), a secret that is not in this
account and region (SecretNotFoundException), and a secret without a current value, which ECR
cannot read (UnableToAccessSecretException). Describe and Delete of an unknown prefix answer
PullThroughCacheRuleNotFoundException.
https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreatePullThroughCacheRule.html
https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-rule.html
"""
import re
import time

import moto.ecr.responses as ecr_responses
import moto.secretsmanager.models as secretsmanager
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult

_PREFIX = re.compile(r"^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*/?|ROOT)$")
_CREDENTIAL = re.compile(r"^arn:aws(-\w+)*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:ecr\-pullthroughcache/[a-zA-Z0-9/_+=.@-]+$")
# Upstreams ECR caches, and whether it needs credentials for them (the user guide's table).
_UPSTREAMS = {
    "public.ecr.aws": False,
    "registry.k8s.io": False,
    "quay.io": False,
    "registry-1.docker.io": True,
    "ghcr.io": True,
    "registry.gitlab.com": True,
}
_rules = {}


class _Error(ServiceException):
    def __init__(self, code, message):
        self.code = code
        super().__init__(message)


def _records(response):
    return _rules.setdefault((response.current_account, response.region), {})


def _checked_credential(response, credential_arn, upstream):
    if credential_arn is None:
        if _UPSTREAMS[upstream]:
            raise _Error("InvalidParameterException", f"A credentialArn is required for upstream registry {upstream}.")
        return None
    match = _CREDENTIAL.match(credential_arn)
    if not match:
        raise _Error(
            "InvalidParameterException",
            f"credentialArn {credential_arn!r} must name a secret whose name starts with ecr-pullthroughcache/.",
        )
    region, account = match.group(2), match.group(3)
    store = secretsmanager.secretsmanager_backends[account][region].secrets
    secret = store.get(credential_arn) if (region, account) == (response.region, response.current_account) else None
    if secret is None:
        raise _Error("SecretNotFoundException", f"The secret {credential_arn} was not found in {response.region}.")
    if not getattr(secret, "default_version_id", None):
        raise _Error("UnableToAccessSecretException", f"The secret {credential_arn} has no value ECR can read.")
    return credential_arn


def _create(self):
    prefix = self._get_param("ecrRepositoryPrefix") or ""
    upstream = self._get_param("upstreamRegistryUrl") or ""
    if not 2 <= len(prefix) <= 30 or not _PREFIX.match(prefix):
        raise _Error("InvalidParameterException", f"ecrRepositoryPrefix {prefix!r} is not 2 to 30 characters of the pattern.")
    if upstream not in _UPSTREAMS:
        raise _Error("UnsupportedUpstreamRegistryException", f"The upstream registry {upstream!r} is not supported.")
    records = _records(self)
    if prefix in records:
        raise _Error("PullThroughCacheRuleAlreadyExistsException", f"A pull through cache rule with prefix {prefix!r} already exists.")
    record = {
        "ecrRepositoryPrefix": prefix,
        "upstreamRegistryUrl": upstream,
        "createdAt": time.time(),
        "registryId": self.current_account,
        "upstreamRegistry": {"ghcr.io": "github-container-registry"}.get(upstream, upstream),
    }
    credential = _checked_credential(self, self._get_param("credentialArn"), upstream)
    if credential:
        record["credentialArn"] = credential
    records[prefix] = record
    return ActionResult(record)


def _found(self, prefix):
    record = _records(self).get(prefix)
    if record is None:
        raise _Error("PullThroughCacheRuleNotFoundException", f"No pull through cache rule with prefix {prefix!r}.")
    return record


def _describe(self):
    prefixes = self._get_param("ecrRepositoryPrefixes")
    records = _records(self)
    found = [_found(self, p) for p in prefixes] if prefixes else list(records.values())
    return ActionResult({"pullThroughCacheRules": found})


def _update(self):
    record = _found(self, self._get_param("ecrRepositoryPrefix"))
    credential = _checked_credential(self, self._get_param("credentialArn"), record["upstreamRegistryUrl"])
    if credential:
        record["credentialArn"] = credential
    record["updatedAt"] = time.time()
    return ActionResult(record)


def _delete(self):
    prefix = self._get_param("ecrRepositoryPrefix")
    record = _found(self, prefix)
    _records(self).pop(prefix)
    return ActionResult(record)


ecr_responses.ECRResponse.create_pull_through_cache_rule = _create
ecr_responses.ECRResponse.describe_pull_through_cache_rules = _describe
ecr_responses.ECRResponse.update_pull_through_cache_rule = _update
ecr_responses.ECRResponse.delete_pull_through_cache_rule = _delete
