"""
catalyze's extension of mimic (Rackspace's API mock): Rackspace Cloud Backup, API v1.0.

mimic 2.2.0 has no Cloud Backup. This plugin adds the subset catalyze uses, written to Rackspace's
Cloud Backup API v1.0 reference (paths, field names, status codes). In Rackspace's cloud a Cloud
Backup agent runs on each server and registers itself; here every Nova server of the tenant in the
region (from mimic's own Nova, any status but DELETED) has an agent, registered the first time it is
seen, with a fixed `MachineAgentId` and `HostServerId` = the server's id. As in Rackspace's cloud,
deleting a server leaves its agent (and its configurations) registered. Calls, under `<endpoint>` =
`.../v1.0/{tenant_id}`:

  GET    /user/agents                          every agent of the tenant in the region (with
                                               IsEncrypted, without PublicKey)
  GET    /agent/{machineAgentId}               one agent's details -> 200, 404; with
                                               "PublicKey": {"ModulusHex": "<512 hex digits>",
                                               "ExponentHex": 10001} (a number, as the reference's
                                               example shows it), a real RSA-2048 key pair per agent
  POST   /agent/encrypt                        {"MachineAgentId", "EncryptedPasswordHex"} -> 204;
                                               the hex is the passphrase sealed to the agent's public
                                               key with RSAES-PKCS1-v1_5, which this mock decrypts
                                               with the agent's private key (the reference names no
                                               padding; Rackspace's rcbucrypt.py how-to uses
                                               PKCS1_v1_5). 400 for a body that is not an object, a
                                               MachineAgentId that is not a number, hex that is not
                                               512 hex digits or does not decrypt, an empty
                                               passphrase, or an agent already encrypted (the
                                               reference: "enables volume encryption ... if it is
                                               not already enabled"; what it answers then is not
                                               documented, so this mock refuses, and catalyze never
                                               asks); 404 for an unknown agent. Encryption cannot
                                               be switched off (changing the passphrase is
                                               POST /agent/changeencryption, not modelled).
  POST   /backup-configuration                 create -> 200 with the configuration;
                                               400 for a missing/invalid field, an unknown
                                               MachineAgentId, a VersionRetention other than
                                               0 (keep forever), 30 or 60, a Frequency other than
                                               Manually, Hourly, Daily, Weekly (Hourly needs
                                               HourInterval 1-23; Daily StartTimeHour 1-12,
                                               StartTimeMinute 0-59, StartTimeAmPm AM|PM; Weekly
                                               also DayOfWeekId 0-6), Inclusions not a list of
                                               {FilePath, FileItemType File|Folder}
  GET    /backup-configuration/{id}            -> 200, 404 (also once deleted)
  PUT    /backup-configuration/{id}            update (same fields and checks) -> 200
  DELETE /backup-configuration/{id}            -> 200, 404
  GET    /backup-configuration/system/{machineAgentId}   the agent's configurations -> 200, 404

Errors: {"message": ..., "code": N}. No backups are ever run (no restores, no Cloud Files).

Catalog entry (per region DFW, ORD, IAD):
  cloudBackup  type rax:backup  .../mimicking/CloudBackupApi-XXXXXX/{region}/v1.0/{tenant}

Test-only control (no such API in Rackspace's cloud), catalog entry `catalyzeCloudBackupControl`
(type `rax:backup-control`, per region), so a test can check what an agent received without the
mock ever returning the passphrase:

  GET .../v1.0/{tenant}/agent/{machineAgentId}/encryption
      -> 200 {"IsEncrypted": bool, "PassphraseSHA256": hex or null, "EncryptCalls": n (accepted)}
  PUT .../v1.0/{tenant}/agent/{machineAgentId}/encryption   {"IsEncrypted": false}
      -> 204: the agent's vault unencrypted again, something Rackspace's cloud cannot do; it stands
         for an agent whose vault is not encrypted (drift) without replacing its server.
"""

from __future__ import absolute_import, division, unicode_literals

import hashlib
import itertools
import json
import uuid

from cryptography.hazmat.primitives.asymmetric import rsa

from twisted.plugin import IPlugin
from zope.interface import implementer

from mimic.catalog import Endpoint, Entry
from mimic.imimic import IAPIMock
from mimic.rest.mimicapp import MimicApp

FREQUENCIES = ("Manually", "Hourly", "Daily", "Weekly")
RETENTIONS = (0, 30, 60)


class RegionBackup(object):
    """One tenant's Cloud Backup agents and configurations in one region."""

    def __init__(self):
        self.agents = {}  # server id -> agent dict
        self.configurations = {}  # configuration id -> configuration dict
        self.keys = {}  # MachineAgentId -> the agent's RSA private key (made when first needed)
        self.passphrases = {}  # MachineAgentId -> {"sha256": hex, "calls": n}

    def key(self, agent_id):
        """The agent's RSA-2048 key pair, made the first time it is needed (it takes a few ms)."""
        if agent_id not in self.keys:
            self.keys[agent_id] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return self.keys[agent_id]


def _int(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def validate(body, agent_ids):
    """The first problem with a configuration body, or None."""
    if not isinstance(body, dict):
        return "The request body must be a backup configuration object."
    if _int(body.get("MachineAgentId")) not in agent_ids:
        return "MachineAgentId %r names no agent of this account." % (body.get("MachineAgentId"),)
    name = body.get("ConfigurationName")
    if not isinstance(name, str) or not name.strip():
        return "ConfigurationName is required."
    if not isinstance(body.get("IsActive", True), bool):
        return "IsActive must be true or false."
    if _int(body.get("VersionRetention")) not in RETENTIONS:
        return "VersionRetention must be 0, 30 or 60."
    frequency = body.get("Frequency")
    if frequency not in FREQUENCIES:
        return "Frequency must be one of Manually, Hourly, Daily, Weekly."
    if frequency == "Hourly" and not (1 <= (_int(body.get("HourInterval")) or 0) <= 23):
        return "HourInterval must be 1 to 23 for an Hourly configuration."
    if frequency in ("Daily", "Weekly"):
        if not (1 <= (_int(body.get("StartTimeHour")) or 0) <= 12):
            return "StartTimeHour must be 1 to 12."
        minute = _int(body.get("StartTimeMinute"))
        if minute is None or not 0 <= minute <= 59:
            return "StartTimeMinute must be 0 to 59."
        if body.get("StartTimeAmPm") not in ("AM", "PM"):
            return "StartTimeAmPm must be AM or PM."
    if frequency == "Weekly":
        day = _int(body.get("DayOfWeekId"))
        if day is None or not 0 <= day <= 6:
            return "DayOfWeekId must be 0 (Sunday) to 6."
    inclusions = body.get("Inclusions", [])
    if not isinstance(inclusions, list) or not all(
            isinstance(item, dict) and isinstance(item.get("FilePath"), str)
            and item.get("FileItemType") in ("File", "Folder") for item in inclusions):
        return "Inclusions must be a list of {FilePath, FileItemType: File|Folder}."
    return None


@implementer(IAPIMock, IPlugin)
class CloudBackupApi(object):
    """The Cloud Backup API mock: a catalog entry and a resource per region."""

    def __init__(self, regions=("DFW", "ORD", "IAD")):
        self._regions = list(regions)
        self._ids = itertools.count(310000)

    def catalog_entries(self, tenant_id):
        return [Entry(tenant_id, "rax:backup", "cloudBackup",
                      [Endpoint(tenant_id, region, str(uuid.uuid4()), prefix="v1.0") for region in self._regions])]

    def resource_for_region(self, region, uri_prefix, session_store):
        return CloudBackupRegion(self, uri_prefix, session_store, region).app.resource()

    def next_id(self):
        return next(self._ids)

    def store(self, session_store, tenant_id, region):
        """The tenant's agents and configurations in `region`, agents brought up to date with Nova."""
        regions = session_store.session_for_tenant_id(tenant_id).data_for_api(self, dict)
        if region not in regions:
            regions[region] = RegionBackup()
        store = regions[region]
        from mimic.plugins.nova_plugin import nova  # the running Nova mock (same module object)
        servers = nova._get_session(session_store, tenant_id).collection_for_region(region).servers
        for server in servers:
            if server.status == "DELETED" or server.server_id in store.agents:
                continue
            store.agents[server.server_id] = {
                "MachineAgentId": self.next_id(), "HostServerId": server.server_id,
                "MachineName": server.server_name, "AgentVersion": "1.18.7", "Architecture": "64-bit",
                "Flavor": "RaxCloudServer", "BackupVaultSize": "0 B", "CleanupAllowed": True,
                "Datacenter": region, "IPAddress": "", "IsDisabled": False, "IsEncrypted": False,
                "OperatingSystem": "Linux", "OperatingSystemVersion": "", "Status": "Offline",
                "TimeOfLastSuccessfulBackup": None, "UseServiceNet": True,
                "BackupContainer": "https://storage.example/v1/cloudbackup_%s" % server.server_id,
            }
        return store


def open_pkcs1_v15(key, sealed):
    """The message RSAES-PKCS1-v1_5 sealed to `key`'s public half, or None when it does not decrypt.

    Done by hand (RFC 8017 7.2.2) rather than with `key.decrypt(..., PKCS1v15())`: OpenSSL 3.2 and
    later answer a bad padding with a synthetic message instead of an error (implicit rejection,
    the Marvin countermeasure), so a wrong payload would look accepted. A mock has no timing side
    channel to protect.
    """
    numbers = key.private_numbers()
    modulus = numbers.public_numbers.n
    size = (modulus.bit_length() + 7) // 8
    value = int.from_bytes(sealed, "big")
    if len(sealed) != size or value >= modulus:
        return None
    block = pow(value, numbers.d, modulus).to_bytes(size, "big")
    separator = block.find(b"\x00", 2)
    if block[:2] != b"\x00\x02" or separator < 10:  # at least 8 bytes of nonzero padding
        return None
    return block[separator + 1:]


def reply(request, status, document):
    request.setResponseCode(status)
    request.setHeader(b"Content-Type", b"application/json")
    return json.dumps(document)


def error(request, status, message):
    return reply(request, status, {"message": message, "code": status})


def parse_json(request):
    try:
        return json.loads(request.content.read().decode("utf-8") or "null")
    except ValueError:
        return None


class CloudBackupRegion(object):
    """Klein routes of one region's Cloud Backup endpoint."""

    app = MimicApp()

    def __init__(self, api, uri_prefix, session_store, region):
        self._api = api
        self._session_store = session_store
        self._region = region

    def _store(self, tenant_id):
        return self._api.store(self._session_store, tenant_id, self._region)

    def _agent(self, store, agent_id):
        for agent in store.agents.values():
            if str(agent["MachineAgentId"]) == str(agent_id):
                return agent
        return None

    def _configuration(self, store, body, config_id):
        agent = self._agent(store, body["MachineAgentId"])
        configuration = {
            "BackupConfigurationId": config_id, "MachineAgentId": agent["MachineAgentId"],
            "MachineName": agent["MachineName"], "Datacenter": self._region, "Flavor": "RaxCloudServer",
            "IsEncrypted": agent["IsEncrypted"], "IsDeleted": False, "IsEnabled": True,
            "ConfigurationName": body["ConfigurationName"], "IsActive": body.get("IsActive", True),
            "VersionRetention": body["VersionRetention"], "Frequency": body["Frequency"],
            "MissedBackupActionId": body.get("MissedBackupActionId", 1),
            "StartTimeHour": body.get("StartTimeHour"), "StartTimeMinute": body.get("StartTimeMinute"),
            "StartTimeAmPm": body.get("StartTimeAmPm"), "DayOfWeekId": body.get("DayOfWeekId"),
            "HourInterval": body.get("HourInterval"), "TimeZoneId": body.get("TimeZoneId", "UTC"),
            "NotifyRecipients": body.get("NotifyRecipients", ""), "NotifySuccess": body.get("NotifySuccess", False),
            "NotifyFailure": body.get("NotifyFailure", False), "LastRunTime": None, "LastRunBackupReportId": None,
            "NextScheduledRunTime": None,
            "Inclusions": [dict(item, FileId=index + 1, ParentId=config_id)
                           for index, item in enumerate(body.get("Inclusions", []))],
            "Exclusions": list(body.get("Exclusions", [])),
        }
        return configuration

    @app.route("/v1.0/<string:tenant_id>/user/agents", methods=["GET"])
    def list_agents(self, request, tenant_id):
        store = self._store(tenant_id)
        return reply(request, 200, sorted(store.agents.values(), key=lambda a: a["MachineAgentId"]))

    @app.route("/v1.0/<string:tenant_id>/agent/<string:agent_id>", methods=["GET"])
    def show_agent(self, request, tenant_id, agent_id):
        store = self._store(tenant_id)
        agent = self._agent(store, agent_id)
        if agent is None:
            return error(request, 404, "Agent %s not found." % agent_id)
        numbers = store.key(agent["MachineAgentId"]).public_key().public_numbers()
        # The reference's example gives ExponentHex as the number 10001: the hex digits of 65537.
        details = dict(agent, PublicKey={"ModulusHex": "%0512X" % numbers.n, "ExponentHex": int("%X" % numbers.e)})
        return reply(request, 200, details)

    @app.route("/v1.0/<string:tenant_id>/agent/encrypt", methods=["POST"])
    def encrypt_agent(self, request, tenant_id):
        store = self._store(tenant_id)
        body = parse_json(request)
        if not isinstance(body, dict):
            return error(request, 400, "The request body must be an object.")
        agent_id = _int(body.get("MachineAgentId"))
        if agent_id is None:
            return error(request, 400, "MachineAgentId is required.")
        agent = self._agent(store, agent_id)
        if agent is None:
            return error(request, 404, "Agent %s not found." % agent_id)
        if agent["IsEncrypted"]:
            return error(request, 400, "Agent %s is already encrypted." % agent_id)
        sealed = body.get("EncryptedPasswordHex")
        if not isinstance(sealed, str) or len(sealed) != 512 or not all(c in "0123456789abcdefABCDEF" for c in sealed):
            return error(request, 400, "EncryptedPasswordHex must be 512 hex digits.")
        passphrase = open_pkcs1_v15(store.key(agent_id), bytes.fromhex(sealed))
        if passphrase is None:
            return error(request, 400, "EncryptedPasswordHex does not decrypt with agent %s's key." % agent_id)
        if not passphrase:
            return error(request, 400, "The passphrase is empty.")
        entry = store.passphrases.setdefault(agent_id, {"sha256": None, "calls": 0})
        entry["sha256"] = hashlib.sha256(passphrase).hexdigest()
        entry["calls"] += 1
        self._set_encrypted(store, agent, True)
        request.setResponseCode(204)
        return b""

    @staticmethod
    def _set_encrypted(store, agent, encrypted):
        agent["IsEncrypted"] = encrypted
        for configuration in store.configurations.values():
            if configuration["MachineAgentId"] == agent["MachineAgentId"]:
                configuration["IsEncrypted"] = encrypted

    @app.route("/v1.0/<string:tenant_id>/backup-configuration", methods=["POST"])
    def create_configuration(self, request, tenant_id):
        store = self._store(tenant_id)
        body = parse_json(request)
        problem = validate(body, {a["MachineAgentId"] for a in store.agents.values()})
        if problem:
            return error(request, 400, problem)
        config_id = self._api.next_id()
        store.configurations[config_id] = self._configuration(store, body, config_id)
        return reply(request, 200, store.configurations[config_id])

    @app.route("/v1.0/<string:tenant_id>/backup-configuration/system/<string:agent_id>", methods=["GET"])
    def list_for_agent(self, request, tenant_id, agent_id):
        store = self._store(tenant_id)
        agent = self._agent(store, agent_id)
        if agent is None:
            return error(request, 404, "Agent %s not found." % agent_id)
        found = [c for c in store.configurations.values() if c["MachineAgentId"] == agent["MachineAgentId"]]
        return reply(request, 200, sorted(found, key=lambda c: c["BackupConfigurationId"]))

    def _existing(self, store, config_id):
        return store.configurations.get(int(config_id)) if config_id.isdigit() else None

    @app.route("/v1.0/<string:tenant_id>/backup-configuration/<string:config_id>", methods=["GET"])
    def show_configuration(self, request, tenant_id, config_id):
        configuration = self._existing(self._store(tenant_id), config_id)
        if configuration is None:
            return error(request, 404, "Backup configuration %s not found." % config_id)
        return reply(request, 200, configuration)

    @app.route("/v1.0/<string:tenant_id>/backup-configuration/<string:config_id>", methods=["PUT"])
    def update_configuration(self, request, tenant_id, config_id):
        store = self._store(tenant_id)
        configuration = self._existing(store, config_id)
        if configuration is None:
            return error(request, 404, "Backup configuration %s not found." % config_id)
        body = parse_json(request)
        problem = validate(body, {a["MachineAgentId"] for a in store.agents.values()})
        if problem:
            return error(request, 400, problem)
        store.configurations[configuration["BackupConfigurationId"]] = self._configuration(
            store, body, configuration["BackupConfigurationId"])
        return reply(request, 200, store.configurations[configuration["BackupConfigurationId"]])

    @app.route("/v1.0/<string:tenant_id>/backup-configuration/<string:config_id>", methods=["DELETE"])
    def delete_configuration(self, request, tenant_id, config_id):
        store = self._store(tenant_id)
        configuration = self._existing(store, config_id)
        if configuration is None:
            return error(request, 404, "Backup configuration %s not found." % config_id)
        del store.configurations[configuration["BackupConfigurationId"]]
        request.setResponseCode(200)
        return b""


cloud_backup = CloudBackupApi()


@implementer(IAPIMock, IPlugin)
class CloudBackupControlApi(object):
    """Test-only view of what each agent's encryption received (see the module's docstring)."""

    def __init__(self, regions=("DFW", "ORD", "IAD")):
        self._regions = list(regions)

    def catalog_entries(self, tenant_id):
        return [Entry(tenant_id, "rax:backup-control", "catalyzeCloudBackupControl",
                      [Endpoint(tenant_id, region, str(uuid.uuid4()), prefix="v1.0") for region in self._regions])]

    def resource_for_region(self, region, uri_prefix, session_store):
        return CloudBackupControlRegion(session_store, region).app.resource()


class CloudBackupControlRegion(object):
    """Klein routes of one region's control endpoint."""

    app = MimicApp()

    def __init__(self, session_store, region):
        self._session_store = session_store
        self._region = region

    def _find(self, tenant_id, agent_id):
        store = cloud_backup.store(self._session_store, tenant_id, self._region)
        for agent in store.agents.values():
            if str(agent["MachineAgentId"]) == str(agent_id):
                return store, agent
        return store, None

    @app.route("/v1.0/<string:tenant_id>/agent/<string:agent_id>/encryption", methods=["GET"])
    def show_encryption(self, request, tenant_id, agent_id):
        store, agent = self._find(tenant_id, agent_id)
        if agent is None:
            return error(request, 404, "Agent %s not found." % agent_id)
        entry = store.passphrases.get(agent["MachineAgentId"], {"sha256": None, "calls": 0})
        return reply(request, 200, {"IsEncrypted": agent["IsEncrypted"], "PassphraseSHA256": entry["sha256"],
                                    "EncryptCalls": entry["calls"]})

    @app.route("/v1.0/<string:tenant_id>/agent/<string:agent_id>/encryption", methods=["PUT"])
    def reset_encryption(self, request, tenant_id, agent_id):
        store, agent = self._find(tenant_id, agent_id)
        if agent is None:
            return error(request, 404, "Agent %s not found." % agent_id)
        body = parse_json(request)
        if not isinstance(body, dict) or body.get("IsEncrypted") is not False:
            return error(request, 400, 'Only {"IsEncrypted": false} is accepted.')
        CloudBackupRegion._set_encrypted(store, agent, False)
        store.passphrases.pop(agent["MachineAgentId"], None)
        request.setResponseCode(204)
        return b""


cloud_backup_control = CloudBackupControlApi()
