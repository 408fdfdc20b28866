"""
catalyze's extension of mimic (Rackspace's API mock): dedicated-host placement for Nova.

mimic 2.2.0's Nova gives every server the same constant `hostId`, reads no microversion and takes
any field in a server create, so no placement on a chosen physical host can be shown with it. This
plugin models the documented way to ask Nova for a host, and no other:

  * A tenant's dedicated hosts are its Cloud Monitoring entities whose metadata carries
    `catalyze:fleet`, `region` (the Nova region), `host` (the compute host's name, as
    `os-hypervisors` reports `service.host`) and `host_id` (the `hostId` servers on that host report
    to this tenant; real Nova derives it as sha224(project id + compute host name)).
  * `host` in a server create is Compute API microversion 2.74's requested destination (Compute API
    reference, "Create Server": `host`, "New in version 2.74"; nova 34's
    `nova/api/openstack/compute/schemas/servers.py` adds it to `create_v274`). Below 2.74 (no
    `OpenStack-API-Version: compute X` / `X-OpenStack-Nova-API-Version: X` header means 2.1) the
    schema has `additionalProperties: False`, so Nova answers 400 and so does this plugin. At 2.74 a
    host that is not one of the tenant's compute hosts in the region is 400 "Compute host H could
    not be found." (nova's `ComputeHostNotFound`, mapped to 400 by the create). A valid `host` places
    the server there: its `hostId` is that host's `host_id`.
  * Scheduler hints Nova has no filter for are ignored, as Nova ignores them: the old
    `catalyze:host` hint that only this plugin once honoured does nothing now. Without `host` the
    server lands on mimic's shared default host, whose `hostId` is mimic's constant; a client that
    does not check `hostId` after the build would not notice; catalyze does.
  * Not modelled: the `compute:servers:create:requested_destination` policy (admin by default;
    mimic has no roles), and the scheduler filters that may still refuse a requested host.
  * Everything else is mimic's own Nova (behaviors, metadata presets, states, clock).

It also serves a control API, catalog entry `catalyzePlacementControl` (type `compute-control`,
per region), so a test can see where Nova put what:

  GET .../v2/{tenant_id}/placements  ->  {"placements": [{"server_id", "hostId", "status"}]}

and, for the upgrade test only, can let one tenant's server creates be placed by the `catalyze:host`
scheduler hint that release 0.1.0 sent and 0.1.0's copy of this plugin honoured (no Nova does), so
that a pod that release applied can be made at all; the test turns it off again before this
release plans, which asks for hosts with `host` alone:

  PUT .../v2/{tenant_id}/legacy-host-hint  {"enabled": true|false}  ->  204
"""

from __future__ import absolute_import, division, unicode_literals

import json
import uuid

from twisted.plugin import IPlugin
from zope.interface import implementer

from mimic.catalog import Endpoint, Entry
from mimic.imimic import IAPIMock
from mimic.model.nova_objects import RegionalServerCollection, Server, bad_request
from mimic.rest.mimicapp import MimicApp
from mimic.rest.nova_api import NovaRegion

REGIONS = ("DFW", "ORD", "IAD")


def _fleet_hosts(session_store, tenant_id, region):
    """The tenant's dedicated hosts in `region`, from its monitoring entities: compute host name -> host_id."""
    from mimic.plugins.maas_plugin import maas
    from mimic.rest.maas_api import _mcache_factory
    caches = session_store.session_for_tenant_id(tenant_id).data_for_api(maas, _mcache_factory(session_store.clock))
    hosts = {}
    for cache in list(caches.values()):
        for entity in cache.entities.values():
            metadata = entity.metadata or {}
            if "catalyze:fleet" in metadata and metadata.get("region", "").upper() == region.upper():
                if metadata.get("host") and metadata.get("host_id"):
                    hosts[metadata["host"]] = metadata["host_id"]
    return hosts


def _microversion(request):
    """The Compute API microversion a request asks for: (major, minor); 2.1 when it names none."""
    def header(name):
        values = request.requestHeaders.getRawHeaders(name) or []
        if not values:
            return None
        return values[0].decode() if isinstance(values[0], bytes) else values[0]
    text = None
    modern = header("OpenStack-API-Version")
    if modern:
        parts = modern.strip().split()
        if len(parts) == 2 and parts[0].lower() == "compute":
            text = parts[1]
    if text is None:
        text = header("X-OpenStack-Nova-API-Version")
    if not text:
        return (2, 1)
    if text.strip().lower() == "latest":
        return (2, 100)
    try:
        major, minor = text.strip().split(".")
        return (int(major), int(minor))
    except ValueError:
        return None


_original_collection = NovaRegion._region_collection_for_tenant


def _collection_with_store(self, tenant_id):
    """mimic's own lookup, remembering the session store so that creation can see the fleet."""
    collection = _original_collection(self, tenant_id)
    collection.catalyze_session_store = self._session_store
    return collection


_original_request_creation = RegionalServerCollection.request_creation


def _request_creation_with_host(self, creation_http_request, creation_json, absolutize_url):
    """Nova's checks of `host` (microversion 2.74) before mimic's own creation."""
    server = creation_json.get("server") or {}
    if "host" in server:
        version = _microversion(creation_http_request)
        if version is None:
            creation_http_request.setResponseCode(400)
            return json.dumps({"badRequest": {"message": "Invalid API version request string", "code": 400}})
        if version < (2, 74):
            return json.dumps(bad_request(
                "Invalid input for field/attribute server. Value: {0}. Additional properties are not allowed "
                "('host' was unexpected)".format(json.dumps(server, sort_keys=True)), creation_http_request))
        store = getattr(self, "catalyze_session_store", None)
        hosts = _fleet_hosts(store, self.tenant_id, self.region_name) if store is not None else {}
        wanted = server.get("host")
        if not isinstance(wanted, str) or wanted not in hosts:
            return json.dumps(bad_request("Compute host {0} could not be found.".format(wanted), creation_http_request))
        self.catalyze_requested_host = hosts[wanted]
    else:
        self.catalyze_requested_host = None
    try:
        return _original_request_creation(self, creation_http_request, creation_json, absolutize_url)
    finally:
        self.catalyze_requested_host = None


_original_create = Server.from_creation_request_json.__func__


# Tenants whose creates honour 0.1.0's `catalyze:host` hint (the upgrade test's, while 0.1.0 applies).
_LEGACY_HINT_TENANTS = set()


def _create_with_placement(cls, collection, creation_json, *args, **kwargs):
    """mimic's own server creation, on the host a valid `host` asked for."""
    server = _original_create(cls, collection, creation_json, *args, **kwargs)
    wanted = getattr(collection, "catalyze_requested_host", None)
    if not wanted and collection.tenant_id in _LEGACY_HINT_TENANTS:
        hinted = (creation_json.get("os:scheduler_hints") or {}).get("catalyze:host")
        store = getattr(collection, "catalyze_session_store", None)
        if hinted and store is not None and hinted in _fleet_hosts(store, collection.tenant_id, collection.region_name).values():
            wanted = hinted
    if wanted:
        server.catalyze_host_id = wanted
    return server


_original_detail = Server.detail_json


def _detail_with_host(self, absolutize_url):
    detail = _original_detail(self, absolutize_url)
    host = getattr(self, "catalyze_host_id", None)
    if host:
        detail["hostId"] = host
    return detail


if not getattr(Server, "_catalyze_placement", False):
    NovaRegion._region_collection_for_tenant = _collection_with_store
    RegionalServerCollection.request_creation = _request_creation_with_host
    Server.from_creation_request_json = classmethod(_create_with_placement)
    Server.detail_json = _detail_with_host
    Server._catalyze_placement = True


@implementer(IAPIMock, IPlugin)
class PlacementControlApi(object):
    """Read-only view of where Nova placed each server (the plugin that makes this module load)."""

    def catalog_entries(self, tenant_id):
        return [Entry(tenant_id, "compute-control", "catalyzePlacementControl",
                      [Endpoint(tenant_id, region, str(uuid.uuid4()), prefix="v2") for region in REGIONS])]

    def resource_for_region(self, region, uri_prefix, session_store):
        return PlacementControlRegion(region, session_store).app.resource()


class PlacementControlRegion(object):
    app = MimicApp()

    def __init__(self, region, session_store):
        self.region = region
        self.session_store = session_store

    @app.route("/v2/<string:tenant_id>/legacy-host-hint", methods=["PUT"])
    def legacy_host_hint(self, request, tenant_id):
        body = json.loads(request.content.read().decode("utf-8") or "{}")
        if body.get("enabled"):
            _LEGACY_HINT_TENANTS.add(tenant_id)
        else:
            _LEGACY_HINT_TENANTS.discard(tenant_id)
        request.setResponseCode(204)
        return b""

    @app.route("/v2/<string:tenant_id>/placements", methods=["GET"])
    def placements(self, request, tenant_id):
        from mimic.plugins.nova_plugin import nova
        servers = nova._get_session(self.session_store, tenant_id).collection_for_region(self.region).servers
        request.setHeader(b"Content-Type", b"application/json")
        return json.dumps({"placements": [
            {"server_id": s.server_id, "hostId": getattr(s, "catalyze_host_id", None) or Server.static_defaults["hostId"],
             "status": s.status} for s in servers if s.status != "DELETED"]})


placement_control = PlacementControlApi()
