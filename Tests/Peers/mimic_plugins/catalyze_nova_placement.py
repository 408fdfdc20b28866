"""
catalyze's extension of mimic (Rackspace's API mock): dedicated-host placement for Nova.

mimic 2.2.0's Nova gives every server the same constant `hostId` and ignores `os:scheduler_hints`,
so no placement on a chosen physical host can be shown with it. This plugin models what a Nova with
a dedicated-host scheduler filter does, without trusting the client:

  * A tenant's dedicated hosts are its Cloud Monitoring entities whose metadata carries
    `catalyze:fleet`, `region` (the Nova region) and `host_id` (the `hostId` servers on that host
    report to this tenant; real Nova derives it as sha224(project id + compute host name)).
  * `os:scheduler_hints` `{"catalyze:host": HOST_ID}` on a server create places the server on that
    host only when HOST_ID is one of the tenant's dedicated hosts in the server's region; otherwise
    the hint is ignored (as Nova ignores hints no filter understands) and the server lands on mimic's
    shared default host, whose `hostId` is mimic's constant. A client that does not check `hostId`
    after the build would not notice; catalyze does.
  * Everything else is mimic's own Nova (behaviors, metadata presets, states, clock).

It also serves a read-only control view, catalog entry `catalyzePlacementControl` (type
`compute-control`, per region), so a test can see where Nova put what:

  GET .../v2/{tenant_id}/placements  ->  {"placements": [{"server_id", "hostId", "status"}]}
"""

from __future__ import absolute_import, division, unicode_literals

import json
import uuid

from twisted.plugin import IPlugin
from zope.interface import implementer

from mimic.catalog import Endpoint, Entry
from mimic.imimic import IAPIMock
from mimic.model.nova_objects import Server
from mimic.rest.mimicapp import MimicApp
from mimic.rest.nova_api import NovaRegion

REGIONS = ("DFW", "ORD", "IAD")


def _fleet_host_ids(session_store, tenant_id, region):
    """The `host_id`s of the tenant's dedicated hosts in `region`, from its monitoring entities."""
    from mimic.plugins.maas_plugin import maas
    from mimic.rest.maas_api import _mcache_factory
    caches = session_store.session_for_tenant_id(tenant_id).data_for_api(maas, _mcache_factory(session_store.clock))
    hosts = set()
    for cache in list(caches.values()):
        for entity in cache.entities.values():
            metadata = entity.metadata or {}
            if "catalyze:fleet" in metadata and metadata.get("region", "").upper() == region.upper():
                if metadata.get("host_id"):
                    hosts.add(metadata["host_id"])
    return hosts


_original_collection = NovaRegion._region_collection_for_tenant


def _collection_with_store(self, tenant_id):
    """mimic's own lookup, remembering the session store so that creation can see the fleet."""
    collection = _original_collection(self, tenant_id)
    collection.catalyze_session_store = self._session_store
    return collection


_original_create = Server.from_creation_request_json.__func__


def _create_with_placement(cls, collection, creation_json, *args, **kwargs):
    """mimic's own server creation, then the dedicated-host filter on `catalyze:host`."""
    server = _original_create(cls, collection, creation_json, *args, **kwargs)
    hints = creation_json.get("os:scheduler_hints") or {}
    wanted = hints.get("catalyze:host")
    store = getattr(collection, "catalyze_session_store", None)
    if wanted and store is not None and wanted in _fleet_host_ids(store, collection.tenant_id, collection.region_name):
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

    @app.route("/v2/<string:tenant_id>/placements", methods=["GET"])
    def placements(self, request, tenant_id):
        from mimic.plugins.nova_plugin import nova
        servers = nova._get_session(self.session_store, tenant_id).collection_for_region(self.region).servers
        request.setHeader(b"Content-Type", b"application/json")
        return json.dumps({"placements": [
            {"server_id": s.server_id, "hostId": getattr(s, "catalyze_host_id", None) or Server.static_defaults["hostId"],
             "status": s.status} for s in servers if s.status != "DELETED"]})


placement_control = PlacementControlApi()
