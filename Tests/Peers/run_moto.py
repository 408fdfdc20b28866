"""
Runs moto server (`moto_server ARGS`, e.g. `-H 127.0.0.1 -p 0`) with catalyze's extension of moto
(AWS Backup selections, EC2 VPN connection routes), without changing the venv. KMS key pairs of
symmetric keys are made on first use (`install_lazy_symmetric_key_pairs`; no reply changes).

moto 5.2.1 implements backup plans and vaults but not backup selections (the resources a plan
covers). This launcher adds them to moto's backup backend, faithfully to the AWS Backup API
reference (REST-JSON, routed by moto through botocore's service model, so no URL needs adding):

  * CreateBackupSelection  PUT    /backup/plans/{backupPlanId}/selections/
        body {"BackupSelection": {"SelectionName", "IamRoleArn", "Resources", "NotResources",
        "ListOfTags", "Conditions"}, "CreatorRequestId"} -> {"SelectionId", "BackupPlanId",
        "CreationDate"}. SelectionName (1-50 characters) and IamRoleArn are required; an unknown or
        deleted plan is ResourceNotFoundException; a CreatorRequestId already used on the plan
        answers the first selection again (idempotent retry).
  * ListBackupSelections   GET    /backup/plans/{backupPlanId}/selections/
        -> {"BackupSelectionsList": [{"SelectionId", "SelectionName", "BackupPlanId",
        "CreationDate", "CreatorRequestId", "IamRoleArn"}]} (no pagination: NextToken never set).
  * GetBackupSelection     GET    /backup/plans/{backupPlanId}/selections/{selectionId}
        -> {"BackupSelection": {...}, "SelectionId", "BackupPlanId", "CreationDate",
        "CreatorRequestId"}.
  * DeleteBackupSelection  DELETE /backup/plans/{backupPlanId}/selections/{selectionId} -> 200, empty.

It also has moto load AWS's managed IAM policies (`MOTO_IAM_LOAD_MANAGED_POLICIES=true`, moto's own
switch), so that AWS Backup's service role can be given `AWSBackupServiceRolePolicyForBackup` as in
a real account. And it makes DeleteBackupPlan refuse a plan that still has selections (InvalidRequestException), as
AWS does ("a backup plan can only be deleted after all associated selections of resources have
been deleted"), and lets CreateBackupPlan reuse the name of a deleted plan (moto counts deleted
plans; AWS refuses only "a plan that already exists", and a destroyed pod applied anew names its
plan the same).

It also adds EC2's static routes of a VPN connection, which moto 5.2.1 lacks (its
CreateVpnConnectionRoute answers an HTML 500 and DescribeVpnConnections never lists routes), faithfully
to the EC2 API reference (Query protocol, parameters parsed by moto through botocore's service model):

  * CreateVpnConnectionRoute  VpnConnectionId, DestinationCidrBlock
        -> <CreateVpnConnectionRouteResponse><requestId/><return>true</return>.
        An unknown connection is InvalidVpnConnectionID.NotFound; a deleted one IncorrectState; a
        DestinationCidrBlock that is not an IPv4 CIDR is InvalidParameterValue; a route to the same
        network already on the connection is RouteAlreadyExists.
  * DeleteVpnConnectionRoute  same parameters -> <return>true</return>; a route the connection
        does not have is InvalidRoute.NotFound (connection errors as above).
  * DescribeVpnConnections lists each connection's routes in `routes` -> `item`
        {destinationCidrBlock, source = Static, state = available} (AWS shows a new route as
        `pending` for a moment and a deleted one as `deleting`; here both changes are immediate).

It also adds AWS Backup recovery points, which moto 5.2.1 lacks (a vault always has none), faithfully
to the AWS Backup API reference (REST-JSON; these paths are added to moto's backup URL map):

  * StartBackupJob                   PUT    /backup-jobs
        body {"BackupVaultName", "ResourceArn", "IamRoleArn", "IdempotencyToken",
        "Lifecycle": {"DeleteAfterDays"}} -> {"BackupJobId", "RecoveryPointArn", "CreationDate",
        "IsParent": false}. The three names are required (InvalidParameterValueException); an unknown
        vault is ResourceNotFoundException. The job completes at once: its recovery point is COMPLETED,
        encrypted with the vault's EncryptionKeyArn, as AWS encrypts a backup with its vault's key.
  * ListRecoveryPointsByBackupVault  GET    /backup-vaults/{backupVaultName}/recovery-points/
        -> {"RecoveryPoints": [{"RecoveryPointArn", "BackupVaultName", "BackupVaultArn", "ResourceArn",
        "ResourceType", "CreationDate", "Status", "EncryptionKeyArn", "IsEncrypted", "CalculatedLifecycle"}]}
        (no pagination: NextToken never set); an unknown vault is ResourceNotFoundException.
  * DeleteRecoveryPoint              DELETE /backup-vaults/{backupVaultName}/recovery-points/{recoveryPointArn}
        -> 200, empty; an unknown one is ResourceNotFoundException. (How a test makes a recovery point
        expire: AWS deletes it when its lifecycle ends.)
and makes DeleteBackupVault refuse a vault that still holds recovery points (InvalidRequestException),
as AWS does ("a backup vault can be deleted only if it is empty"); moto deletes it.

It also adds a test-only control of ELBv2 target health, which moto 5.2.1 cannot vary (it answers
every registered, running instance `healthy` at once), and a record of the calls that move a
target in or out of service, so a test can check the order of a rolling replacement:

  * POST /moto-api/catalyze/elbv2/target-health  {"TargetGroupArn", "Id", "State", "Reason",
        "Description"} -> 200 {"TargetHealth": {...}}. From then on DescribeTargetHealth answers
        that TargetHealth for the target (ELBv2 API reference, `TargetHealth`: State one of
        initial | healthy | unhealthy | unused | draining | unavailable; Reason one of the
        reference's codes, e.g. Target.FailedHealthChecks, Target.ResponseCodeMismatch,
        Target.Timeout, Elb.InitialHealthChecking; Description free text) -> 400 for another
        State or a Reason that is not one of the codes. {"TargetGroupArn", "Id", "State": null}
        clears it (moto's own answer again). An Id not registered in that group is still
        answered as moto answers it (unused / Target.NotRegistered): only a registered target's
        health is set. "TargetGroupArn": "*" sets or clears it in every group. "Id": "*" sets it
        for every target registered from then on, not for those already registered (a release
        whose containers fail their check); clearing "*" clears what it set as well.
  * GET  /moto-api/catalyze/elbv2/target-events -> 200 {"events": [{"call", "id", "state"?}]}:
        in the order moto served them, every RegisterTargets and DeregisterTargets (one event per
        target), every target DescribeTargetHealth answered (with the State it answered), every
        EC2 TerminateInstances (one event per instance) and AttachVolume (its instance); `call` is
        the API action.

It also adds a test-only control of an instance's console output (EC2 GetConsoleOutput), which moto
5.2.1 answers with one fixed sample for every instance, so that a test can play a booted instance
printing its SSH host keys the way cloud-init does: POST /moto-api/catalyze/ec2/console-output
(see install_console_output_control).

It also makes S3's conditional writes atomic (`install_atomic_s3_conditional_writes`). moto 5.2.1
checks PutObject's `If-Match` / `If-None-Match: *` and DeleteObject's `If-Match` against the stored
object and then writes, outside any lock: two writers racing with the same ETag can both pass the
check and both "win", which real S3 never lets happen (one gets 412 PreconditionFailed). Every
PutObject and DeleteObject of one bucket and key is therefore served one at a time (other keys stay
concurrent), so the state backend's race tests (two writers from one loaded serial: exactly one
wins) prove something on moto. Nothing else changes: the replies are moto's own.

It also makes EBS encryption by default encrypt (`install_ebs_encryption_by_default`): moto 5.2.1
keeps the switch but still makes unencrypted volumes; AWS encrypts every new volume while it is on.
And it makes a KMS CreateGrant with a Name idempotent (`install_named_grants_are_idempotent`), as AWS's is.

With `--exit-on-stdin-eof` (first argument) the server exits when its standard input closes: a
moto started by the Swift test runner ignores SIGTERM (PrivateMoto closes the pipe instead).
"""

import json
import os
import sys
import threading


def install_backup_selections():
    from moto.backup import models, responses
    from moto.backup.exceptions import AlreadyExistsException, InvalidParameterValueException, InvalidRequestException, ResourceNotFoundException
    from moto.core.utils import unix_time
    from moto.moto_api._internal import mock_random

    backend_class = models.BackupBackend
    original_delete_plan = backend_class.delete_backup_plan
    original_create_plan = backend_class.create_backup_plan

    def selections_of(backend):
        if not hasattr(backend, "catalyze_selections"):
            backend.catalyze_selections = {}
        return backend.catalyze_selections

    def live_plan(backend, plan_id):
        plan = backend.plans.get(plan_id)
        if plan is None or plan.deletion_date is not None:
            raise ResourceNotFoundException(msg="Failed reading Backup plan with provided version")
        return plan

    def create_backup_selection(self, plan_id, selection, creator_request_id):
        live_plan(self, plan_id)
        name = (selection or {}).get("SelectionName") or ""
        if not (1 <= len(name) <= 50):
            raise InvalidParameterValueException(msg="SelectionName must be 1 to 50 characters")
        if not selection.get("IamRoleArn"):
            raise InvalidParameterValueException(msg="IamRoleArn is required")
        plan_selections = selections_of(self).setdefault(plan_id, {})
        if creator_request_id:
            for existing in plan_selections.values():
                if existing["CreatorRequestId"] == creator_request_id:
                    return existing
        record = {
            "SelectionId": str(mock_random.uuid4()),
            "BackupPlanId": plan_id,
            "CreationDate": unix_time(),
            "CreatorRequestId": creator_request_id,
            "BackupSelection": selection,
        }
        plan_selections[record["SelectionId"]] = record
        return record

    def get_backup_selection(self, plan_id, selection_id):
        record = selections_of(self).get(plan_id, {}).get(selection_id)
        if record is None:
            raise ResourceNotFoundException(msg="Failed reading backup selection " + selection_id)
        return record

    def list_backup_selections(self, plan_id):
        live_plan(self, plan_id)
        return list(selections_of(self).get(plan_id, {}).values())

    def delete_backup_selection(self, plan_id, selection_id):
        self.get_backup_selection(plan_id, selection_id)
        del selections_of(self)[plan_id][selection_id]

    def create_backup_plan(self, backup_plan, backup_plan_tags, creator_request_id):
        # AWS Backup API reference, CreateBackupPlan: "If you call CreateBackupPlan with a plan that
        # already exists, you receive an AlreadyExistsException". A deleted plan no longer exists
        # (GetBackupPlan answers ResourceNotFound for it), so its name may be used again, as a pod
        # destroyed and applied anew does; moto 5.2.1 also counts deleted plans.
        name = (backup_plan or {}).get("BackupPlanName")
        for plan in self.plans.values():
            if plan.deletion_date is None and plan.backup_plan.get("BackupPlanName") == name:
                raise AlreadyExistsException(msg="Backup plan with the same plan document already exists")
        hidden = {key: plan for key, plan in self.plans.items() if plan.deletion_date is not None}
        for key in hidden:
            del self.plans[key]
        try:
            return original_create_plan(self, backup_plan, backup_plan_tags, creator_request_id)
        finally:
            self.plans.update(hidden)

    def delete_backup_plan(self, backup_plan_id):
        if selections_of(self).get(backup_plan_id):
            raise InvalidRequestException(
                msg="Related backup plan selections must be deleted prior to backup plan deletion")
        return original_delete_plan(self, backup_plan_id)

    def update_backup_plan(self, plan_id, backup_plan):
        plan = live_plan(self, plan_id)
        if not isinstance(backup_plan, dict) or not backup_plan.get("Rules"):
            raise InvalidParameterValueException(msg="BackupPlan with at least one rule is required")
        for rule in backup_plan["Rules"]:
            rule.setdefault("ScheduleExpression", "cron(0 5 ? * * *)")
            rule.setdefault("StartWindowMinutes", 480)
            rule.setdefault("CompletionWindowMinutes", 10080)
            rule.setdefault("ScheduleExpressionTimezone", "Etc/UTC")
            rule["RuleId"] = str(mock_random.uuid4())
        plan.backup_plan = backup_plan
        plan.advanced_backup_settings = backup_plan.get("AdvancedBackupSettings") or []
        plan.version_id = mock_random.get_random_string(length=48)
        return plan

    backend_class.update_backup_plan = update_backup_plan
    backend_class.create_backup_selection = create_backup_selection
    backend_class.get_backup_selection = get_backup_selection
    backend_class.list_backup_selections = list_backup_selections
    backend_class.delete_backup_selection = delete_backup_selection
    backend_class.delete_backup_plan = delete_backup_plan
    backend_class.create_backup_plan = create_backup_plan

    def path_ids(self):
        # /backup/plans/{plan}/selections/[{selection}]
        parts = [part for part in self.path.split("?")[0].split("/") if part]
        plan_id = parts[2] if len(parts) > 2 else ""
        selection_id = parts[4] if len(parts) > 4 else ""
        return plan_id, selection_id

    def create_backup_selection_response(self):
        params = json.loads(self.body or "{}")
        plan_id, _ = path_ids(self)
        record = self.backup_backend.create_backup_selection(
            plan_id, params.get("BackupSelection") or {}, params.get("CreatorRequestId"))
        return json.dumps({key: record[key] for key in ("SelectionId", "BackupPlanId", "CreationDate")})

    def get_backup_selection_response(self):
        plan_id, selection_id = path_ids(self)
        record = self.backup_backend.get_backup_selection(plan_id, selection_id)
        return json.dumps({key: value for key, value in record.items() if value is not None})

    def list_backup_selections_response(self):
        plan_id, _ = path_ids(self)
        members = []
        for record in self.backup_backend.list_backup_selections(plan_id):
            member = {
                "SelectionId": record["SelectionId"],
                "SelectionName": record["BackupSelection"].get("SelectionName"),
                "BackupPlanId": record["BackupPlanId"],
                "CreationDate": record["CreationDate"],
                "IamRoleArn": record["BackupSelection"].get("IamRoleArn"),
            }
            if record["CreatorRequestId"]:
                member["CreatorRequestId"] = record["CreatorRequestId"]
            members.append(member)
        return json.dumps({"BackupSelectionsList": members})

    def delete_backup_selection_response(self):
        plan_id, selection_id = path_ids(self)
        self.backup_backend.delete_backup_selection(plan_id, selection_id)
        return "{}"

    def update_backup_plan_response(self):
        params = json.loads(self.body or "{}")
        plan_id = [part for part in self.path.split("?")[0].split("/") if part][2]
        plan = self.backup_backend.update_backup_plan(plan_id, params.get("BackupPlan"))
        return json.dumps(dict(plan.to_dict()))

    response_class = responses.BackupResponse
    response_class.update_backup_plan = update_backup_plan_response
    response_class.create_backup_selection = create_backup_selection_response
    response_class.get_backup_selection = get_backup_selection_response
    response_class.list_backup_selections = list_backup_selections_response
    response_class.delete_backup_selection = delete_backup_selection_response


def install_recovery_points():
    """AWS Backup recovery points (see the module's documentation)."""
    from urllib.parse import unquote

    from moto.backup import models, responses, urls
    from moto.backup.exceptions import InvalidParameterValueException, InvalidRequestException, ResourceNotFoundException
    from moto.core.utils import unix_time
    from moto.moto_api._internal import mock_random

    backend_class = models.BackupBackend
    original_delete_vault = backend_class.delete_backup_vault

    def points_of(backend, vault_name):
        if not hasattr(backend, "catalyze_recovery_points"):
            backend.catalyze_recovery_points = {}
        return backend.catalyze_recovery_points.setdefault(vault_name, {})

    def start_backup_job(self, params):
        for name in ("BackupVaultName", "ResourceArn", "IamRoleArn"):
            if not params.get(name):
                raise InvalidParameterValueException(msg=name + " is required")
        vault = self.vaults.get(params["BackupVaultName"])
        if vault is None:
            raise ResourceNotFoundException(msg="Backup vault " + params["BackupVaultName"] + " does not exist")
        now = unix_time()
        arn = "arn:aws:backup:%s:%s:recovery-point:%s" % (self.region_name, self.account_id, mock_random.uuid4())
        resource_type = params["ResourceArn"].split(":")[2].upper() if params["ResourceArn"].count(":") >= 2 else ""
        point = {
            "RecoveryPointArn": arn, "BackupVaultName": vault.backup_vault_name,
            "BackupVaultArn": vault.backup_vault_arn, "ResourceArn": params["ResourceArn"],
            "ResourceType": resource_type, "IamRoleArn": params["IamRoleArn"], "CreationDate": now,
            "CompletionDate": now, "Status": "COMPLETED", "IsEncrypted": True,
        }
        if vault.encryption_key_arn:
            point["EncryptionKeyArn"] = vault.encryption_key_arn
        days = (params.get("Lifecycle") or {}).get("DeleteAfterDays")
        if days:
            point["Lifecycle"] = {"DeleteAfterDays": days}
            point["CalculatedLifecycle"] = {"DeleteAt": now + 86400 * int(days)}
        points_of(self, vault.backup_vault_name)[arn] = point
        vault.num_of_recovery_points = len(points_of(self, vault.backup_vault_name))
        return {"BackupJobId": str(mock_random.uuid4()), "RecoveryPointArn": arn, "CreationDate": now, "IsParent": False}

    def list_recovery_points_by_backup_vault(self, vault_name):
        self.describe_backup_vault(vault_name)
        return list(points_of(self, vault_name).values())

    def delete_recovery_point(self, vault_name, arn):
        vault = self.describe_backup_vault(vault_name)
        if points_of(self, vault_name).pop(arn, None) is None:
            raise ResourceNotFoundException(msg="Recovery point " + arn + " does not exist")
        vault.num_of_recovery_points = len(points_of(self, vault_name))

    def delete_backup_vault(self, backup_vault_name):
        if points_of(self, backup_vault_name):
            raise InvalidRequestException(msg="Backup vault cannot be deleted because it contains recovery points")
        return original_delete_vault(self, backup_vault_name)

    backend_class.start_backup_job = start_backup_job
    backend_class.list_recovery_points_by_backup_vault = list_recovery_points_by_backup_vault
    backend_class.delete_recovery_point = delete_recovery_point
    backend_class.delete_backup_vault = delete_backup_vault

    def path_parts(self):
        # /backup-vaults/{vault}/recovery-points/[{arn}]
        return [unquote(part) for part in self.path.split("?")[0].split("/") if part]

    def start_backup_job_response(self):
        return json.dumps(self.backup_backend.start_backup_job(json.loads(self.body or "{}")))

    def list_recovery_points_response(self):
        parts = path_parts(self)
        points = self.backup_backend.list_recovery_points_by_backup_vault(parts[1])
        return json.dumps({"RecoveryPoints": [{k: v for k, v in p.items() if k != "IamRoleArn"} for p in points]})

    def delete_recovery_point_response(self):
        parts = path_parts(self)
        self.backup_backend.delete_recovery_point(parts[1], "/".join(parts[3:]))
        return "{}"

    response_class = responses.BackupResponse
    response_class.start_backup_job = start_backup_job_response
    response_class.list_recovery_points_by_backup_vault = list_recovery_points_response
    response_class.delete_recovery_point = delete_recovery_point_response
    urls.url_paths["{0}/backup-jobs/?$"] = urls.response.dispatch
    urls.url_paths["{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$"] = urls.response.dispatch
    urls.url_paths["{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/(?P<arn>.+)$"] = urls.response.dispatch


def install_vpn_connection_routes():
    """catalyze's extension of moto: static routes of a VPN connection (see the module docstring)."""
    import ipaddress

    from moto.ec2.exceptions import (
        EC2ClientError,
        InvalidDestinationCIDRBlockParameterError,
        RouteAlreadyExistsError,
    )
    from moto.ec2.models.vpn_connections import VPNConnection, VPNConnectionBackend
    from moto.ec2.responses.vpn_connections import VPNConnections
    from moto.moto_api._internal import mock_random

    class IncorrectStateError(EC2ClientError):
        def __init__(self, vpn_connection_id):
            super().__init__(
                "IncorrectState", f"The vpnConnection '{vpn_connection_id}' is in an incorrect state: deleted")

    class InvalidVpnConnectionRouteError(EC2ClientError):
        def __init__(self, vpn_connection_id, cidr):
            super().__init__(
                "InvalidRoute.NotFound",
                f"no route with destination-cidr-block {cidr} on vpnConnection {vpn_connection_id}")

    def static_routes_of(connection):
        # {normalised IPv4 network: route}, in creation order (moto leaves `static_routes` None).
        if not isinstance(connection.static_routes, dict):
            connection.static_routes = {}
        return connection.static_routes

    # Read by moto's serializer for the VpnConnection shape's `Routes` member (`routes` -> `item`).
    VPNConnection.routes = property(lambda self: list(static_routes_of(self).values()))

    def route_target(backend, vpn_connection_id, destination_cidr_block):
        # Raises InvalidVpnConnectionID.NotFound for an unknown id, as DescribeVpnConnections does.
        connection = backend.describe_vpn_connections(vpn_connection_ids=[vpn_connection_id])[0]
        if connection.state == "deleted":
            raise IncorrectStateError(vpn_connection_id)
        try:
            network = ipaddress.IPv4Network(str(destination_cidr_block or ""), strict=False)
        except ValueError:
            raise InvalidDestinationCIDRBlockParameterError(destination_cidr_block)
        return connection, str(network)

    def create_vpn_connection_route(self, vpn_connection_id, destination_cidr_block):
        connection, network = route_target(self, vpn_connection_id, destination_cidr_block)
        routes = static_routes_of(connection)
        if network in routes:
            raise RouteAlreadyExistsError(destination_cidr_block)
        routes[network] = {"DestinationCidrBlock": destination_cidr_block, "Source": "Static", "State": "available"}

    def delete_vpn_connection_route(self, vpn_connection_id, destination_cidr_block):
        connection, network = route_target(self, vpn_connection_id, destination_cidr_block)
        if static_routes_of(connection).pop(network, None) is None:
            raise InvalidVpnConnectionRouteError(vpn_connection_id, destination_cidr_block)

    VPNConnectionBackend.create_vpn_connection_route = create_vpn_connection_route
    VPNConnectionBackend.delete_vpn_connection_route = delete_vpn_connection_route

    # botocore's model gives these actions no output shape, so moto's serializer would leave out the
    # `return` element that the EC2 API reference documents: the reply is written out here instead.
    def returned_true(action):
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<{action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
            f"<requestId>{mock_random.uuid4()}</requestId><return>true</return></{action}Response>")

    def create_vpn_connection_route_response(self):
        self.ec2_backend.create_vpn_connection_route(
            self._get_param("VpnConnectionId"), self._get_param("DestinationCidrBlock"))
        return returned_true("CreateVpnConnectionRoute")

    def delete_vpn_connection_route_response(self):
        self.ec2_backend.delete_vpn_connection_route(
            self._get_param("VpnConnectionId"), self._get_param("DestinationCidrBlock"))
        return returned_true("DeleteVpnConnectionRoute")

    VPNConnections.create_vpn_connection_route = create_vpn_connection_route_response
    VPNConnections.delete_vpn_connection_route = delete_vpn_connection_route_response


def install_lazy_symmetric_key_pairs():
    """Not an API change: moto 5.2.1 generates an RSA-2048 private key in every KMS Key's
    constructor, even for SYMMETRIC_DEFAULT and HMAC keys, which never use one (KMS refuses
    Sign, Verify and GetPublicKey on them). That costs tens of milliseconds of moto's CPU per
    CreateKey, which no real KMS charges and which serialises everything else moto answers at the
    time (apply makes one key per pod region). For those key specs the pair is made on first use
    instead; asymmetric specs (RSA_*, ECC_*) keep moto's own behaviour, and every reply is unchanged."""
    from moto.kms import models

    generate = models.generate_private_key
    pending = object()

    def generate_unless_symmetric(key_spec):
        if key_spec is None or key_spec == "SYMMETRIC_DEFAULT" or str(key_spec).startswith("HMAC_"):
            return pending
        return generate(key_spec)

    def private_key(self):
        key = self.__dict__.get("_catalyze_private_key", pending)
        if key is pending:
            key = self.__dict__["_catalyze_private_key"] = generate(self.key_spec)
        return key

    def set_private_key(self, value):
        self.__dict__["_catalyze_private_key"] = value

    models.generate_private_key = generate_unless_symmetric
    models.Key.private_key = property(private_key, set_private_key)


TARGET_HEALTH_STATES = ("initial", "healthy", "unhealthy", "unused", "draining", "unavailable")
# ELBv2 API reference, TargetHealth.Reason (valid values).
TARGET_HEALTH_REASONS = (
    "Elb.RegistrationInProgress", "Elb.InitialHealthChecking", "Target.ResponseCodeMismatch", "Target.Timeout",
    "Target.FailedHealthChecks", "Elb.InternalError", "Target.NotRegistered", "Target.NotInUse",
    "Target.DeregistrationInProgress", "Target.InvalidState", "Target.IpUnusable", "Target.HealthCheckDisabled")


def install_target_health_control():
    """catalyze's extension of moto: set a target's health; record target calls (module docstring)."""
    from moto.ec2.models.elastic_block_store import EBSBackend
    from moto.ec2.models.instances import InstanceBackend
    from moto.elbv2 import models
    from moto.moto_api._internal import urls

    lock = threading.Lock()
    overrides = {}  # (target group ARN or "*", instance id or "*") -> (state, reason, description)
    set_by_new = {}  # (ARN or "*", "*") -> the (ARN, id) keys it set at registration
    events = []

    def record(call, target_id, state=None):
        event = {"call": call, "id": target_id}
        if state is not None:
            event["state"] = state
        with lock:
            events.append(event)

    original_health_for = models.FakeTargetGroup.health_for

    def health_for(self, target, ec2_backend):
        status = original_health_for(self, target, ec2_backend)
        with lock:
            forced = overrides.get((self.arn, target["Id"])) or overrides.get(("*", target["Id"]))
        # Only a registered target has a health of its own; anything else keeps moto's answer.
        if forced is not None and target["Id"] in self.targets:
            status.status, status.reason, status.description = forced
        return status

    original_register = models.ELBv2Backend.register_targets
    original_deregister = models.ELBv2Backend.deregister_targets
    original_describe = models.ELBv2Backend.describe_target_health
    original_terminate = InstanceBackend.terminate_instances
    original_attach = EBSBackend.attach_volume

    def register_targets(self, target_group_arn, instances):
        result = original_register(self, target_group_arn, instances)
        for instance in instances:
            record("RegisterTargets", instance["Id"])
            with lock:
                for (arn, target_id), health in list(overrides.items()):
                    if target_id == "*" and arn in ("*", target_group_arn):
                        overrides[(arn, instance["Id"])] = health
                        set_by_new.setdefault((arn, "*"), set()).add((arn, instance["Id"]))
        return result

    def deregister_targets(self, target_group_arn, instances):
        result = original_deregister(self, target_group_arn, instances)
        for instance in instances:
            record("DeregisterTargets", instance["Id"])
        return result

    def describe_target_health(self, target_group_arn, targets):
        result = original_describe(self, target_group_arn, targets)
        for status in result:
            record("DescribeTargetHealth", status.instance_id, status.status)
        return result

    def terminate_instances(self, instance_ids):
        result = original_terminate(self, instance_ids)
        for instance_id in instance_ids:
            record("TerminateInstances", instance_id)
        return result

    def attach_volume(self, volume_id, instance_id, device_path, delete_on_termination=False):
        result = original_attach(self, volume_id, instance_id, device_path, delete_on_termination)
        record("AttachVolume", instance_id)
        return result

    models.FakeTargetGroup.health_for = health_for
    models.ELBv2Backend.register_targets = register_targets
    models.ELBv2Backend.deregister_targets = deregister_targets
    models.ELBv2Backend.describe_target_health = describe_target_health
    InstanceBackend.terminate_instances = terminate_instances
    EBSBackend.attach_volume = attach_volume

    def bad_request(message):
        return 400, {"Content-Type": "application/json"}, json.dumps({"message": message})

    def set_target_health(request, full_url, headers):
        try:
            size = int(headers.get("Content-Length") or 0)
            body = json.loads(request.environ["wsgi.input"].read(size).decode("utf-8") or "{}")
        except (ValueError, KeyError) as error:
            return bad_request(f"not a JSON object: {error}")
        arn, target_id, state = body.get("TargetGroupArn"), body.get("Id"), body.get("State")
        if not arn or not target_id:
            return bad_request("TargetGroupArn and Id are required")
        if state is None:
            with lock:
                overrides.pop((arn, target_id), None)
                for key in set_by_new.pop((arn, target_id), set()):
                    overrides.pop(key, None)
            return 200, {"Content-Type": "application/json"}, json.dumps({"TargetHealth": None})
        reason, description = body.get("Reason"), body.get("Description")
        if state not in TARGET_HEALTH_STATES:
            return bad_request(f"State must be one of {', '.join(TARGET_HEALTH_STATES)}")
        if reason is not None and reason not in TARGET_HEALTH_REASONS:
            return bad_request(f"Reason {reason} is not a TargetHealth reason code")
        with lock:
            overrides[(arn, target_id)] = (state, reason, description)
        health = {"State": state, "Reason": reason, "Description": description}
        return 200, {"Content-Type": "application/json"}, json.dumps({"TargetHealth": health})

    def target_events(request, full_url, headers):
        with lock:
            listed = list(events)
        return 200, {"Content-Type": "application/json"}, json.dumps({"events": listed})

    urls.url_paths["{0}/moto-api/catalyze/elbv2/target-health"] = set_target_health
    urls.url_paths["{0}/moto-api/catalyze/elbv2/target-events"] = target_events


def install_console_output_control():
    """catalyze's extension of moto: the console output an instance shows (a test plays the booted
    instance). moto 5.2.1's GetConsoleOutput answers every instance with one fixed sample of a 2006
    kernel's boot, with no host keys. EC2 API reference, GetConsoleOutput: InstanceId -> {InstanceId,
    Timestamp, Output: the console output, base64-encoded}; an unknown instance is
    InvalidInstanceID.NotFound (moto's get_instance raises it, kept here). This adds:

      * POST /moto-api/catalyze/ec2/console-output  {"InstanceId", "Output"} -> 200 {"InstanceId"}.
            From then on GetConsoleOutput of that instance answers Output (the raw text, base64-encoded
            as EC2 does). "Output": null makes it answer as EC2 does before an instance has written
            anything: no Output member. An instance moto does not have is 400 (no output is set for
            an instance that does not exist). Tests print exactly what cloud-init prints at the end of
            a first boot (-----BEGIN SSH HOST KEY KEYS----- ... -----END SSH HOST KEY KEYS-----).
    An instance no test set answers moto's own sample (no keys), as before."""
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.ec2.models import ec2_backends
    from moto.ec2.responses.general import General
    from moto.ec2.utils import Base64EncodedString
    from moto.moto_api._internal import urls

    lock = threading.Lock()
    outputs = {}  # instance id -> text, or None for "nothing written yet"
    original = General.get_console_output

    def get_console_output(self):
        instance_id = self._get_param("InstanceId")
        with lock:
            if instance_id not in outputs:
                return original(self)
            text = outputs[instance_id]
        instance = self.ec2_backend.get_instance(instance_id)
        result = {"InstanceId": instance.id, "Timestamp": utcnow()}
        if text is not None:
            result["Output"] = Base64EncodedString.from_raw_string(text)
        return ActionResult(result)

    General.get_console_output = get_console_output

    def instance_exists(instance_id):
        for account in list(ec2_backends.keys()):
            for backend in list(ec2_backends[account].values()):
                try:
                    backend.get_instance(instance_id)
                    return True
                except Exception:
                    continue
        return False

    def set_console_output(request, full_url, headers):
        try:
            size = int(headers.get("Content-Length") or 0)
            body = json.loads(request.environ["wsgi.input"].read(size).decode("utf-8") or "{}")
        except (ValueError, KeyError) as error:
            return 400, {"Content-Type": "application/json"}, json.dumps({"message": f"not a JSON object: {error}"})
        instance_id, text = body.get("InstanceId"), body.get("Output")
        if not instance_id or not (text is None or isinstance(text, str)):
            return 400, {"Content-Type": "application/json"}, json.dumps({"message": "InstanceId and Output (text or null) are required"})
        if not instance_exists(instance_id):
            return 400, {"Content-Type": "application/json"}, json.dumps({"message": f"no instance {instance_id}"})
        with lock:
            outputs[instance_id] = text
        return 200, {"Content-Type": "application/json"}, json.dumps({"InstanceId": instance_id})

    urls.url_paths["{0}/moto-api/catalyze/ec2/console-output"] = set_console_output


def install_strict_assume_role():
    """moto's STS assumes any role ARN, existing or not (its docstring: "the role does not need to
    exist"). AWS refuses a role that is not there with AccessDenied ("User ... is not authorized to
    perform: sts:AssumeRole on resource: ARN"; STS API reference, AssumeRole and
    AssumeRoleWithWebIdentity, Errors, and the IAM user guide's role-trust troubleshooting). Here
    both refuse a role that is not in IAM in the ARN's account, so a test must make the role it
    assumes. Not modelled: trust policies, session policies, the token's signature."""
    from moto.iam.models import iam_backends
    from moto.sts import models
    from moto.sts.exceptions import STSClientError
    from moto.utilities.utils import get_partition

    original = models.STSBackend.assume_role

    def assume_role(self, region_name, role_session_name, role_arn, policy, duration, external_id):
        parts = role_arn.split(":")
        account = parts[4] if len(parts) > 5 else ""
        try:
            iam_backends[account][get_partition(region_name)].get_role_by_arn(role_arn)
        except Exception:
            raise STSClientError(
                "AccessDenied", "User is not authorized to perform: sts:AssumeRole on resource: %s" % role_arn)
        return original(self, region_name, role_session_name, role_arn, policy, duration, external_id)

    models.STSBackend.assume_role = assume_role


def install_dedicated_host_capacity():
    """catalyze's extension of moto: a Dedicated Host's capacity as DescribeHosts reports it. moto
    5.2.1 answers HostProperties with only InstanceType or InstanceFamily, and neither
    AvailableCapacity nor Instances. EC2 API reference, Host: HostProperties {Cores, Sockets,
    TotalVCpus, InstanceType | InstanceFamily}; AvailableCapacity {AvailableVCpus,
    AvailableInstanceCapacity: [{InstanceType, AvailableCapacity, TotalCapacity}] ("for Dedicated
    Hosts that support multiple instance types ... the number of instances for each instance size
    that is supported on the host")}; Instances [{InstanceId, InstanceType, OwnerId}]. The server
    sizes are the "Dedicated Host instance capacity configurations" page's (m5/r5: 48 cores, 2
    sockets, 96 vCPUs; c5: 36, 2, 72; m6i/c6i/r6i: 64, 2, 128), the same table as catalyze's
    HostFamily; vCPUs per instance type come from moto's own instance-type data. Instances pending,
    running or stopping use the host; stopped and terminated ones do not. RunInstances onto a host
    without room is refused, as EC2 refuses it (below)."""
    import gzip
    from pathlib import Path

    import moto.ec2
    from moto.ec2.models.hosts import Host

    servers = {"m5": (48, 2, 96), "r5": (48, 2, 96), "c5": (36, 2, 72),
               "m6i": (64, 2, 128), "c6i": (64, 2, 128), "r6i": (64, 2, 128)}
    with gzip.open(Path(moto.ec2.__file__).parent / "resources" / "instance_types.json.gz") as handle:
        types = json.load(handle)

    def vcpus(instance_type):
        return int(((types.get(instance_type) or {}).get("VCpuInfo") or {}).get("DefaultVCpus") or 0)

    def family_of(host):
        return host.instance_family or (host.instance_type or "").split(".")[0]

    def on_host(host):
        found = []
        for reservation in list(host.ec2_backend.reservations.values()):
            for instance in reservation.instances:
                if getattr(instance.placement, "host_id", None) == host.id and instance.state in ("pending", "running", "stopping"):
                    found.append(instance)
        return found

    original_properties = Host.host_properties.fget

    def host_properties(self):
        props = dict(original_properties(self))
        server = servers.get(family_of(self))
        if server:
            props["Cores"], props["Sockets"], props["TotalVCpus"] = server
        return props

    def instances(self):
        return [{"InstanceId": i.id, "InstanceType": i.instance_type, "OwnerId": self.owner_id} for i in on_host(self)]

    def available_capacity(self):
        server = servers.get(family_of(self))
        if not server:
            return None
        total = server[2]
        available = max(0, total - sum(vcpus(i.instance_type) for i in on_host(self)))
        if self.instance_type:
            sizes = [self.instance_type]
        else:
            sizes = sorted((t for t in types if t.startswith(family_of(self) + ".") and not t.endswith(".metal") and vcpus(t)),
                           key=lambda t: (vcpus(t), t))
        per_size = [{"InstanceType": t, "AvailableCapacity": available // vcpus(t), "TotalCapacity": total // vcpus(t)}
                    for t in sizes if vcpus(t)]
        return {"AvailableVCpus": available, "AvailableInstanceCapacity": per_size}

    Host.host_properties = property(host_properties)
    Host.instances = property(instances)
    Host.available_capacity = property(available_capacity)

    # Stricter than moto 5.2.1, which launches any number of instances onto one Dedicated Host: EC2
    # refuses a RunInstances onto a host without room for it with InsufficientCapacityOnHost ("There
    # is not enough capacity on the Dedicated Host to launch or start the instance.", EC2 API
    # reference, "Error codes for the Amazon EC2 API", client errors). The check and the launch
    # happen under one lock, as EC2's own placement is atomic: two launches racing for the last
    # room on a host cannot both get it.
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.models.instances import InstanceBackend

    launching = threading.Lock()
    original_run_instances = InstanceBackend.run_instances

    def run_instances(self, image_id, count, user_data, security_group_names, **kwargs):
        host_id = kwargs.get("placement_hostid")
        with launching:
            host = self.hosts.get(host_id) if host_id else None
            capacity = host.available_capacity if host is not None else None
            if capacity is not None:
                need = vcpus(kwargs.get("instance_type") or "m1.small") * int(count or 1)
                if capacity["AvailableVCpus"] < need:
                    raise EC2ClientError(
                        "InsufficientCapacityOnHost",
                        "There is not enough capacity on the Dedicated Host to launch or start the instance. "
                        f"(host {host_id}: {capacity['AvailableVCpus']} vCPUs available, {need} asked)")
            return original_run_instances(self, image_id, count, user_data, security_group_names, **kwargs)

    InstanceBackend.run_instances = run_instances


def install_ebs_encryption_by_default():
    """Makes EBS encryption by default encrypt. moto 5.2.1 keeps the switch
    (EnableEbsEncryptionByDefault / GetEbsEncryptionByDefault answer it) but makes every volume as
    asked, unencrypted ones included. AWS encrypts every new volume of the account in the region
    once it is on (Amazon EBS User Guide, "Encryption by default": "new EBS volumes ... are always
    encrypted", with the account's default EBS key, `alias/aws/ebs`, unless the call names a key;
    EC2 API reference, EnableEbsEncryptionByDefault). So here a volume made while it is on
    (CreateVolume, an instance's root or mapped volume at RunInstances) is encrypted, under the key
    the call names or moto's `alias/aws/ebs` key."""
    from moto.ec2.models.elastic_block_store import EBSBackend

    original_create_volume = EBSBackend.create_volume

    def create_volume(self, size, zone_name, snapshot_id=None, encrypted=False, kms_key_id=None, **kwargs):
        if not encrypted and getattr(self, "ebs_encryption_by_default", False):
            encrypted = True  # moto then takes its default EBS key when kms_key_id is None
        return original_create_volume(
            self, size, zone_name, snapshot_id=snapshot_id, encrypted=encrypted, kms_key_id=kms_key_id, **kwargs)

    EBSBackend.create_volume = create_volume


def install_named_grants_are_idempotent():
    """Makes a KMS CreateGrant with a Name idempotent, as AWS's is (AWS KMS API reference,
    CreateGrant, `Name`: "When this value is present, you can retry a CreateGrant request with
    identical parameters; if the grant already exists, the original GrantId is returned without
    creating a new grant"). moto 5.2.1 makes a new grant on every call, so a retried create would
    leave a second grant on the customer's key that `destroy` never retires. A call with the same
    name but other parameters still makes a new grant, as on AWS."""
    from moto.kms.models import KmsBackend

    original_create_grant = KmsBackend.create_grant

    def create_grant(self, key_id, grantee_principal, operations, name, constraints, retiring_principal):
        if name:
            key = self.describe_key(key_id)
            for grant in key.grants.values():
                if (grant.name == name and grant.grantee_principal == grantee_principal
                        and sorted(grant.operations or []) == sorted(operations or [])
                        and grant.retiring_principal == retiring_principal and grant.constraints == constraints):
                    return grant.id, grant.token
        return original_create_grant(self, key_id, grantee_principal, operations, name, constraints, retiring_principal)

    KmsBackend.create_grant = create_grant


def install_atomic_s3_conditional_writes():
    """Serialises PutObject and DeleteObject per (bucket, key): moto's condition check and its write
    then happen as one step, as on S3 (see the module's docstring)."""
    from moto.s3.responses import S3Response

    guard = threading.Lock()
    locks = {}

    def key_lock(response):
        name = (response.bucket_name, response.parse_key_name())
        with guard:
            return locks.setdefault(name, threading.Lock())

    def serialised(original):
        def method(self, *args, **kwargs):
            with key_lock(self):
                return original(self, *args, **kwargs)
        return method

    S3Response.put_object = serialised(S3Response.put_object)
    S3Response.delete_object = serialised(S3Response.delete_object)


def install_strict_security_groups():
    """Stricter than moto 5.2.1 about security groups, where EC2 refuses what moto accepts:

      * DeleteSecurityGroup of a group still in use: EC2 API reference, DeleteSecurityGroup: "If you
        attempt to delete a security group that is associated with an instance or network interface,
        is referenced by another security group in the same VPC, or has a VPC association, the
        operation fails with DependencyViolation." moto deletes it and leaves the instance, the
        load balancer and the referencing rule pointing at nothing. Here a group used by an instance
        that is not terminated, by a network interface, by an ELBv2 load balancer, or named as the
        source of another group's rule is refused: DependencyViolation "resource sg-… has a dependent
        object" (a group's rule naming the group itself does not count, as on EC2).
      * AuthorizeSecurityGroupIngress/Egress naming a group of another VPC as the source: EC2
        refuses it (VPC User Guide, "Security group rules": a rule's source may be "another security
        group in the same VPC" or in a peered VPC) with InvalidGroup.NotFound "You have specified two
        resources that belong to different networks."; moto accepts it."""
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.models.security_groups import SecurityGroupBackend

    def dependents(backend, group):
        found = []
        for reservation in list(backend.reservations.values()):
            for instance in reservation.instances:
                if instance.state != "terminated" and any(g.id == group.id for g in instance.security_groups or []):
                    found.append(instance.id)
        for eni in list(backend.enis.values()):
            if eni.instance is not None and eni.instance.state == "terminated":
                continue  # EC2 deletes an instance's own interfaces with it
            if any(getattr(g, "id", g) == group.id for g in eni.group_set):
                found.append(eni.id)
        try:
            from moto.elbv2.models import elbv2_backends
            balancers = elbv2_backends[backend.account_id][backend.region_name].load_balancers.values()
        except KeyError:
            balancers = []
        for balancer in list(balancers):
            if group.id in (balancer.security_groups or []):
                found.append(balancer.name)
        for other in list(backend.groups.get(group.vpc_id, {}).values()):
            if other.id != group.id and any(
                    (rule.source_group or {}).get("GroupId") == group.id for rule in other.ingress_rules + other.egress_rules):
                found.append(other.id)
        return found

    original_delete = SecurityGroupBackend.delete_security_group

    def delete_security_group(self, name=None, group_id=None):
        group = self.get_security_group_from_id(group_id) if group_id else None
        if group is not None and dependents(self, group):
            raise EC2ClientError("DependencyViolation", f"resource {group.id} has a dependent object")
        return original_delete(self, name=name, group_id=group_id)

    def same_network(original):
        def method(self, group_name_or_id, *args, **kwargs):
            group = self.get_security_group_by_name_or_id(group_name_or_id, kwargs.get("vpc_id"))
            for pair in kwargs.get("source_groups") or []:
                source = self.get_security_group_from_id(pair.get("GroupId")) if pair.get("GroupId") else None
                if group is not None and source is not None and source.vpc_id != group.vpc_id:
                    raise EC2ClientError(
                        "InvalidGroup.NotFound", "You have specified two resources that belong to different networks.")
            return original(self, group_name_or_id, *args, **kwargs)
        return method

    # ModifyInstanceAttribute GroupId.N replaces the groups of the instance's primary network
    # interface (EC2 API reference, ModifyInstanceAttribute: "Replaces the security groups on the
    # instance's primary network interface"); moto changes only the instance's own list, so its
    # interface would still hold the old group and keep it in use.
    from moto.ec2.models.instances import InstanceBackend

    original_modify = InstanceBackend.modify_instance_security_groups

    def modify_instance_security_groups(self, instance_id, new_group_id_list):
        instance = original_modify(self, instance_id, new_group_id_list)
        for eni in list(self.enis.values()):
            if eni.instance is instance and getattr(eni, "device_index", 0) in (0, "0", None):
                eni._group_set = list(instance.security_groups)
        return instance

    InstanceBackend.modify_instance_security_groups = modify_instance_security_groups
    # A rule is the protocol, the ports and the source; its description is not part of it (EC2 API
    # reference, RevokeSecurityGroupIngress: a rule is matched by those values; UpdateSecurityGroupRule-
    # DescriptionsIngress changes a description without changing the rule). moto compares a source
    # group's whole entry, description included, so a revoke without the description missed the
    # rule and the same reference with another description was a second rule, not a duplicate.
    from moto.ec2.models.security_groups import SecurityGroupRule

    def same_rule(self, other):
        def source(rule):
            return {k: v for k, v in (rule.source_group or {}).items() if k != "Description"}
        if self.ip_protocol != other.ip_protocol or source(self) != source(other):
            return False
        for key in ("CidrIp", "CidrIpv6"):
            if key in self.ip_range and self.ip_range.get(key) != other.ip_range.get(key):
                return False
        if self.prefix_list_id != other.prefix_list_id:
            return False
        return self.ip_protocol == "-1" or (self.from_port, self.to_port) == (other.from_port, other.to_port)

    SecurityGroupRule.__eq__ = same_rule
    SecurityGroupBackend.delete_security_group = delete_security_group
    SecurityGroupBackend.authorize_security_group_ingress = same_network(SecurityGroupBackend.authorize_security_group_ingress)
    SecurityGroupBackend.authorize_security_group_egress = same_network(SecurityGroupBackend.authorize_security_group_egress)


def install_strict_balancer_network():
    """catalyze's extension of moto: what AWS refuses of a load balancer's network and moto 5.2.1
    accepts, and the route propagation of a virtual private gateway, which moto lacks.

      * CreateLoadBalancer of an application load balancer whose subnets lie in fewer than two
        Availability Zones: InvalidConfigurationRequest. ELBv2 API reference, CreateLoadBalancer,
        `Subnets`: "[Application Load Balancers] You must specify subnets from at least two
        Availability Zones." (moto's own SetSubnets already refuses one zone with this code.)
      * CreateLoadBalancer (and SetSubnets) of an `internet-facing` balancer whose VPC has no
        internet gateway attached: InvalidSubnet, "VPC vpc-... has no internet gateway", as AWS
        answers. ELBv2 User Guide, "Application Load Balancers", Subnets: "If you create an
        Internet-facing load balancer, you must select a public subnet"; VPC User Guide, "Enable
        internet access for a VPC using an internet gateway".
      * EnableVgwRoutePropagation / DisableVgwRoutePropagation (`RouteTableId`, `GatewayId`; reply
        `<return>true</return>`), and DescribeRouteTables lists each table's `propagatingVgwSet`
        (`item` -> `gatewayId`), as the EC2 API reference documents them. Errors as EC2 answers:
        InvalidRouteTableID.NotFound, InvalidVpnGatewayID.NotFound, and Gateway.NotAttached when
        the gateway is not attached to the table's VPC (EC2 API reference, "Error codes":
        "Gateway.NotAttached: ... the gateway is not attached to the VPC").
    """
    from moto.moto_api._internal import urls
    from moto.elbv2.exceptions import ELBClientError as RESTError
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.models.route_tables import RouteBackend, RouteTable
    from moto.ec2.responses.route_tables import RouteTables
    from moto.elbv2.models import ELBv2Backend
    from moto.moto_api._internal import mock_random

    def balancer_subnets(backend, subnet_ids, subnet_mappings):
        found = []
        for subnet_id in list(subnet_ids or []) + [m.get("SubnetId") for m in subnet_mappings or []]:
            subnet = backend.ec2_backend.get_subnet(subnet_id) if subnet_id else None
            if subnet is not None:
                found.append(subnet)
        return found

    # Test only: `POST /moto-api/catalyze/strict-network {"enabled": false}` lets the previous
    # release make the pod it made on moto 5.2.1 as it was (`UpgradeTests`; it could not have on AWS).
    strict = {"enabled": True}

    def set_strict(request, full_url, headers):
        try:
            size = int(headers.get("Content-Length") or 0)
            body = json.loads(request.environ["wsgi.input"].read(size).decode("utf-8") or "{}")
        except (ValueError, KeyError) as error:
            return 400, {"Content-Type": "application/json"}, json.dumps({"message": f"not a JSON object: {error}"})
        if not isinstance(body.get("enabled"), bool):
            return 400, {"Content-Type": "application/json"}, json.dumps({"message": "enabled must be true or false"})
        strict["enabled"] = body["enabled"]
        return 200, {"Content-Type": "application/json"}, json.dumps(strict)

    urls.url_paths["{0}/moto-api/catalyze/strict-network"] = set_strict

    def require_internet_gateway(backend, vpc_id):
        if not strict["enabled"]:
            return
        attached = [g for g in backend.ec2_backend.internet_gateways.values() if g.vpc is not None and g.vpc.id == vpc_id]
        if not attached:
            raise RESTError("InvalidSubnet", f"VPC {vpc_id} has no internet gateway")

    original_create = ELBv2Backend.create_load_balancer

    def create_load_balancer(self, name, security_groups, subnet_ids, subnet_mappings=None, scheme="internet-facing",
                             loadbalancer_type=None, **kwargs):
        subnets = balancer_subnets(self, subnet_ids, subnet_mappings)
        # Unknown subnets are moto's own SubnetNotFound, raised by the original below.
        if subnets and len(subnets) == len(list(subnet_ids or [])) + len(list(subnet_mappings or [])):
            if strict["enabled"] and (loadbalancer_type or "application") == "application" and len({s.availability_zone for s in subnets}) < 2:
                raise RESTError(
                    "InvalidConfigurationRequest",
                    "At least two subnets in two different Availability Zones must be specified")
            if (scheme or "internet-facing") == "internet-facing":
                require_internet_gateway(self, subnets[0].vpc_id)
        return original_create(self, name, security_groups, subnet_ids, subnet_mappings, scheme, loadbalancer_type, **kwargs)

    ELBv2Backend.create_load_balancer = create_load_balancer

    original_set_subnets = ELBv2Backend.set_subnets

    def set_subnets(self, arn, subnets, subnet_mappings):
        balancer = self.load_balancers.get(arn)
        if balancer is not None and balancer.scheme == "internet-facing":
            found = balancer_subnets(self, subnets, subnet_mappings)
            if found:
                require_internet_gateway(self, found[0].vpc_id)
        return original_set_subnets(self, arn, subnets, subnet_mappings)

    ELBv2Backend.set_subnets = set_subnets

    def propagations_of(table):
        if not isinstance(getattr(table, "_catalyze_vgws", None), dict):
            table._catalyze_vgws = {}
        return table._catalyze_vgws

    # Read by moto's serializer for the RouteTable shape's `PropagatingVgws` member.
    RouteTable.propagating_vgws = property(lambda self: [{"GatewayId": g} for g in propagations_of(self)])

    def propagation_target(backend, route_table_id, gateway_id):
        table = backend.get_route_table(route_table_id)  # InvalidRouteTableID.NotFound
        gateway = backend.vpn_gateways.get(gateway_id)
        if gateway is None:
            raise EC2ClientError("InvalidVpnGatewayID.NotFound", f"The virtual private gateway ID '{gateway_id}' does not exist")
        attached = [a for a in getattr(gateway, "attachments", {}).values() if a.vpc_id == table.vpc_id and a.state == "attached"]
        if not attached:
            raise EC2ClientError("Gateway.NotAttached", f"resource {gateway_id} is not attached to network {table.vpc_id}")
        return table

    def enable_vgw_route_propagation(self, route_table_id, gateway_id):
        propagations_of(propagation_target(self, route_table_id, gateway_id))[gateway_id] = True

    def disable_vgw_route_propagation(self, route_table_id, gateway_id):
        propagations_of(propagation_target(self, route_table_id, gateway_id)).pop(gateway_id, None)

    RouteBackend.enable_vgw_route_propagation = enable_vgw_route_propagation
    RouteBackend.disable_vgw_route_propagation = disable_vgw_route_propagation

    def returned_true(action):
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<{action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
            f"<requestId>{mock_random.uuid4()}</requestId><return>true</return></{action}Response>")

    def enable_response(self):
        self.ec2_backend.enable_vgw_route_propagation(self._get_param("RouteTableId"), self._get_param("GatewayId"))
        return returned_true("EnableVgwRoutePropagation")

    def disable_response(self):
        self.ec2_backend.disable_vgw_route_propagation(self._get_param("RouteTableId"), self._get_param("GatewayId"))
        return returned_true("DisableVgwRoutePropagation")

    RouteTables.enable_vgw_route_propagation = enable_response
    RouteTables.disable_vgw_route_propagation = disable_response


def main():
    args = sys.argv[1:]
    if args[:1] == ["--exit-on-stdin-eof"]:
        args = args[1:]
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    install_backup_selections()
    install_recovery_points()
    install_vpn_connection_routes()
    install_lazy_symmetric_key_pairs()
    install_target_health_control()
    install_strict_assume_role()
    install_console_output_control()
    install_dedicated_host_capacity()
    install_ebs_encryption_by_default()
    install_named_grants_are_idempotent()
    install_atomic_s3_conditional_writes()
    install_strict_security_groups()
    install_strict_balancer_network()
    from moto.server import main as moto_main

    moto_main(args)


if __name__ == "__main__":
    main()
