"""
catalyze's extension of mimic (Rackspace's API mock): Nova volume attachments.

mimic 2.2.0's Nova has no os-volume_attachments. This module adds them to mimic's own Nova routes
(same endpoint as cloudServersOpenStack, so servers come from mimic's Nova), written to the
documented OpenStack Compute API, and keeps the volume's side (status "in-use", `attachments`) in
catalyze_block_storage.py's store. Calls covered, under `.../v2/{tenant_id}`:

  POST   /servers/{server_id}/os-volume_attachments              {"volumeAttachment": {"volumeId",
                                                                 "device"?}} -> 200 volumeAttachment
  GET    /servers/{server_id}/os-volume_attachments              -> {"volumeAttachments": [...]}
  GET    /servers/{server_id}/os-volume_attachments/{volume_id}  -> {"volumeAttachment": {...}}
  DELETE /servers/{server_id}/os-volume_attachments/{volume_id}  -> 202

Errors as Nova words them: 404 itemNotFound for an unknown server or volume, or a volume not
attached to that server; 400 badRequest for a volume that is not "available" (e.g. already in-use).
"""

from __future__ import absolute_import, division, unicode_literals

import json

from mimic.rest.nova_api import NovaRegion

_registered = []


def _error(request, status, kind, message):
    request.setResponseCode(status)
    return json.dumps({kind: {"message": message, "code": status}})


def _attachment(server_id, volume_id, device):
    return {"id": volume_id, "serverId": server_id, "volumeId": volume_id, "device": device}


def register(block_storage):
    """Adds the os-volume_attachments routes to mimic's Nova, once, using `block_storage`'s volumes."""
    if _registered:
        return
    _registered.append(block_storage)
    app = NovaRegion.app
    base = "/v2/<string:tenant_id>/servers/<string:server_id>/os-volume_attachments"

    def lookup(self, request, tenant_id, server_id):
        request.setHeader(b"Content-Type", b"application/json")
        server = self._region_collection_for_tenant(tenant_id).server_by_id(server_id)
        store = block_storage.store(self._session_store, tenant_id, self._name)
        return server, store

    def server_attachments(store, server_id):
        found = []
        for volume_id in store.order:
            for attachment in store.volumes[volume_id]["attachments"]:
                if attachment["server_id"] == server_id:
                    found.append(_attachment(server_id, volume_id, attachment["device"]))
        return found

    @app.route(base, methods=["POST"])
    def catalyze_attach_volume(self, request, tenant_id, server_id):
        server, store = lookup(self, request, tenant_id, server_id)
        if server is None:
            return _error(request, 404, "itemNotFound", "Instance %s could not be found." % server_id)
        try:
            spec = json.loads(request.content.read().decode("utf-8"))["volumeAttachment"]
            volume_id = spec["volumeId"]
        except (ValueError, KeyError, TypeError):
            return _error(request, 400, "badRequest",
                          "Invalid input for field/attribute volumeAttachment. 'volumeId' is a required property")
        volume = store.volumes.get(volume_id)
        if volume is None:
            return _error(request, 404, "itemNotFound", "Volume %s could not be found." % volume_id)
        store.refresh(volume, self._session_store.clock.seconds())
        if volume["status"] != "available":
            return _error(request, 400, "badRequest",
                          "Invalid volume: volume %s status must be 'available'. Currently in '%s'"
                          % (volume_id, volume["status"]))
        device = spec.get("device")
        if not device:
            used = {a["device"] for a in server_attachments(store, server_id)}
            device = next("/dev/xvd%s" % letter for letter in "bcdefghijklmnopqrstuvwxyz"
                          if "/dev/xvd%s" % letter not in used)
        store.attach(volume_id, server_id, device, self._session_store.clock.seconds())
        return json.dumps({"volumeAttachment": _attachment(server_id, volume_id, device)})

    @app.route(base, methods=["GET"])
    def catalyze_list_volume_attachments(self, request, tenant_id, server_id):
        server, store = lookup(self, request, tenant_id, server_id)
        if server is None:
            return _error(request, 404, "itemNotFound", "Instance %s could not be found." % server_id)
        return json.dumps({"volumeAttachments": server_attachments(store, server_id)})

    @app.route(base + "/<string:volume_id>", methods=["GET"])
    def catalyze_show_volume_attachment(self, request, tenant_id, server_id, volume_id):
        server, store = lookup(self, request, tenant_id, server_id)
        if server is None:
            return _error(request, 404, "itemNotFound", "Instance %s could not be found." % server_id)
        for attachment in server_attachments(store, server_id):
            if attachment["volumeId"] == volume_id:
                return json.dumps({"volumeAttachment": attachment})
        return _error(request, 404, "itemNotFound", "volume_id not found: %s" % volume_id)

    @app.route(base + "/<string:volume_id>", methods=["DELETE"])
    def catalyze_detach_volume(self, request, tenant_id, server_id, volume_id):
        server, store = lookup(self, request, tenant_id, server_id)
        if server is None:
            return _error(request, 404, "itemNotFound", "Instance %s could not be found." % server_id)
        if not any(a["volumeId"] == volume_id for a in server_attachments(store, server_id)):
            return _error(request, 404, "itemNotFound", "volume_id not found: %s" % volume_id)
        store.detach(volume_id, self._session_store.clock.seconds())
        request.setResponseCode(202)
        return b""
