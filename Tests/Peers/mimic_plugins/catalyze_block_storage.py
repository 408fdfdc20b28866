"""
catalyze's extension of mimic (Rackspace's API mock): Cinder block storage.

mimic 2.2.0 ships Cinder as a read-only stub (GET volumes answers an empty list, POST answers 405).
This plugin replaces it (scripts/setup.sh links it into mimic's plugin folder and moves the stub
aside), written to the documented OpenStack Block Storage API v2/v3 (request and response shapes,
status codes, error bodies). Calls covered, under `<endpoint>` = `.../v2/{project_id}` or
`.../v3/{project_id}`:

  POST   /volumes                   create (size, name, description, volume_type by name or id,
                                    metadata, availability_zone) -> 202, status "creating"
  GET    /volumes                   list (id, name, links); filters name, status, metadata; limit,
                                    marker -> volumes_links
  GET    /volumes/detail            list with every field, same filters
  GET    /volumes/{id}              show -> 200, 404 itemNotFound
  PUT    /volumes/{id}              update name, description, metadata -> 200
  DELETE /volumes/{id}              -> 202; 400 badRequest while attached ("in-use")
  GET    /types, /types/{id}        volume types SATA, SSD (Rackspace's) and LUKS (encrypted)
  GET    /types/{id}/encryption     LUKS: provider luks, aes-xts-plain64, 256 bits, front-end; {} else

Attachment status ("in-use", `attachments`) is set by Nova's os-volume_attachments calls, which
catalyze_volume_attachments.py adds to mimic's Nova.

Lifecycle: a new volume is "creating" in the create reply and "available" from the next read on.
Test hooks, in the volume's metadata as with mimic's Nova: `volume_creating: "N"` keeps it
"creating" for N seconds of mimic's clock (move it with POST /mimic/v1.1/tick); `volume_error:
"true"` makes it end in "error" instead.

Catalog entries (per region DFW, ORD, IAD; tenant in the URL as with Rackspace's services):
  cloudBlockStorage  type volume     .../mimicking/BlockStorageApi-XXXXXX/{region}/v2/{tenant}
  cinderv2           type volumev2   same v2 endpoint
  cinderv3           type volumev3   .../mimicking/BlockStorageApi-XXXXXX/{region}/v3/{tenant}
"""

from __future__ import absolute_import, division, unicode_literals

import json
import uuid

from twisted.plugin import IPlugin
from zope.interface import implementer

from mimic.catalog import Endpoint, Entry
from mimic.imimic import IAPIMock
from mimic.rest.mimicapp import MimicApp
from mimic.util.helper import seconds_to_timestamp

CINDER_TIME = "%Y-%m-%dT%H:%M:%S.%f"
DELETABLE = ("available", "error", "error_restoring", "error_extending", "error_managing")


def stable_id(kind, name):
    """A fixed UUID for a seeded object, the same on every start."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "catalyze-mimic/%s/%s" % (kind, name)))


def seeded_volume_types():
    """Rackspace's volume types, plus an encrypted one."""
    types = []
    for name, description, encryption in (
        ("SATA", "Standard SATA volumes", None),
        ("SSD", "High-performance SSD volumes", None),
        ("LUKS", "Volumes encrypted with LUKS (dm-crypt), keys held by the key manager",
         {"provider": "luks", "cipher": "aes-xts-plain64", "key_size": 256, "control_location": "front-end"}),
    ):
        types.append({"id": stable_id("volume-type", name), "name": name, "description": description,
                      "is_public": True, "os-volume-type-access:is_public": True, "extra_specs": {},
                      "qos_specs_id": None, "encryption": encryption})
    return types


class RegionVolumes(object):
    """One tenant's volumes and volume types in one region."""

    def __init__(self):
        self.volumes = {}  # id -> volume dict (plus private keys starting with "_")
        self.order = []  # ids, oldest first
        self.types = seeded_volume_types()

    def volume_type(self, key):
        """The type whose name or id is `key`, or None."""
        for volume_type in self.types:
            if key in (volume_type["id"], volume_type["name"]):
                return volume_type
        return None

    def refresh(self, volume, now):
        """Moves a "creating" volume on once its (mimic-clock) build time has passed."""
        if volume["status"] == "creating" and now >= volume["_ready_at"]:
            volume["status"] = "error" if volume["metadata"].get("volume_error") == "true" else "available"
            volume["updated_at"] = seconds_to_timestamp(now, CINDER_TIME)

    def attach(self, volume_id, server_id, device, now):
        """Records an attachment (Nova's os-volume_attachments); returns the attachment."""
        volume = self.volumes[volume_id]
        attachment = {"server_id": server_id, "attachment_id": str(uuid.uuid4()), "host_name": None,
                      "volume_id": volume_id, "device": device, "id": volume_id,
                      "attached_at": seconds_to_timestamp(now, CINDER_TIME)}
        volume["attachments"] = [attachment]
        volume["status"] = "in-use"
        volume["updated_at"] = seconds_to_timestamp(now, CINDER_TIME)
        return attachment

    def detach(self, volume_id, now):
        volume = self.volumes[volume_id]
        volume["attachments"] = []
        volume["status"] = "available"
        volume["updated_at"] = seconds_to_timestamp(now, CINDER_TIME)


def public(volume):
    """The volume as the API shows it (private bookkeeping keys dropped)."""
    return {key: value for key, value in volume.items() if not key.startswith("_")}


@implementer(IAPIMock, IPlugin)
class BlockStorageApi(object):
    """The Cinder API mock: catalog entries and a resource per region."""

    def __init__(self, regions=("DFW", "ORD", "IAD")):
        self._regions = list(regions)

    def catalog_entries(self, tenant_id):
        def endpoints(version):
            return [Endpoint(tenant_id, region, str(uuid.uuid4()), prefix=version) for region in self._regions]
        return [
            Entry(tenant_id, "volume", "cloudBlockStorage", endpoints("v2")),
            Entry(tenant_id, "volumev2", "cinderv2", endpoints("v2")),
            Entry(tenant_id, "volumev3", "cinderv3", endpoints("v3")),
        ]

    def resource_for_region(self, region, uri_prefix, session_store):
        return BlockStorageRegion(self, uri_prefix, session_store, region).app.resource()

    def store(self, session_store, tenant_id, region):
        """The tenant's volumes in `region` (shared with the Nova attachment calls)."""
        regions = session_store.session_for_tenant_id(tenant_id).data_for_api(self, dict)
        if region not in regions:
            regions[region] = RegionVolumes()
        return regions[region]


def error(request, status, kind, message):
    """Cinder's error body: {"itemNotFound": {"message": ..., "code": 404}} and the like."""
    request.setResponseCode(status)
    return json.dumps({kind: {"message": message, "code": status}})


def parse_json(request):
    try:
        return json.loads(request.content.read().decode("utf-8") or "null")
    except ValueError:
        return None


class BlockStorageRegion(object):
    """Klein routes of one region's Cinder endpoint."""

    app = MimicApp()

    def __init__(self, api, uri_prefix, session_store, region):
        self._api = api
        self._uri_prefix = uri_prefix.rstrip("/")
        self._session_store = session_store
        self._region = region

    def _store(self, tenant_id):
        return self._api.store(self._session_store, tenant_id, self._region)

    def _now(self):
        return self._session_store.clock.seconds()

    def _links(self, version, tenant_id, kind, object_id):
        href = "%s/%s/%s/%s/%s" % (self._uri_prefix, version, tenant_id, kind, object_id)
        bookmark = "%s/%s/%s/%s" % (self._uri_prefix, tenant_id, kind, object_id)
        return [{"href": href, "rel": "self"}, {"href": bookmark, "rel": "bookmark"}]

    def _volume(self, request, tenant_id, volume_id):
        store = self._store(tenant_id)
        volume = store.volumes.get(volume_id)
        if volume is not None:
            store.refresh(volume, self._now())
        return volume

    @app.route("/<any(v2, v3):version>/<string:tenant_id>/volumes", methods=["POST"])
    def create_volume(self, request, version, tenant_id):
        request.setHeader(b"Content-Type", b"application/json")
        body = parse_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("volume"), dict):
            return error(request, 400, "badRequest", "Missing required element 'volume' in request body.")
        spec = body["volume"]
        size = spec.get("size")
        if isinstance(size, str) and size.isdigit():
            size = int(size)
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            return error(request, 400, "badRequest",
                         "Invalid input received: Volume size '%s' must be an integer and greater than 0." % (size,))
        metadata = spec.get("metadata") or {}
        if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
            return error(request, 400, "badRequest", "Invalid input received: metadata must be a map of strings.")
        store = self._store(tenant_id)
        type_key = spec.get("volume_type") or "SATA"
        volume_type = store.volume_type(type_key)
        if volume_type is None:
            return error(request, 404, "itemNotFound", "Volume type with name %s could not be found." % type_key)
        now = self._now()
        try:
            delay = float(metadata.get("volume_creating", "0"))
        except ValueError:
            delay = 0.0
        volume_id = str(uuid.uuid4())
        stamp = seconds_to_timestamp(now, CINDER_TIME)
        volume = {
            "id": volume_id, "name": spec.get("name"), "description": spec.get("description"),
            "status": "creating", "size": size, "availability_zone": spec.get("availability_zone") or "nova",
            "volume_type": volume_type["name"], "metadata": dict(metadata), "attachments": [],
            "bootable": "false", "encrypted": volume_type["encryption"] is not None, "multiattach": False,
            "snapshot_id": spec.get("snapshot_id"), "source_volid": spec.get("source_volid"),
            "consistencygroup_id": None, "replication_status": None, "migration_status": None,
            "user_id": tenant_id, "os-vol-tenant-attr:tenant_id": tenant_id,
            "created_at": stamp, "updated_at": None,
            "links": self._links(version, tenant_id, "volumes", volume_id),
            "_ready_at": now + delay,
        }
        store.volumes[volume_id] = volume
        store.order.append(volume_id)
        request.setResponseCode(202)
        return json.dumps({"volume": public(volume)})

    def _listing(self, request, version, tenant_id, detail):
        request.setHeader(b"Content-Type", b"application/json")
        store = self._store(tenant_id)
        now = self._now()
        args = {key.decode(): [v.decode() for v in values] for key, values in request.args.items()}
        volumes = []
        for volume_id in reversed(store.order):  # newest first, as Cinder sorts by created_at desc
            volume = store.volumes[volume_id]
            store.refresh(volume, now)
            if "name" in args and volume["name"] not in args["name"]:
                continue
            if "status" in args and volume["status"] not in args["status"]:
                continue
            if "metadata" in args:
                try:
                    wanted = json.loads(args["metadata"][0])
                except ValueError:
                    return error(request, 400, "badRequest", "Invalid input received: metadata must be JSON.")
                if any(volume["metadata"].get(k) != v for k, v in wanted.items()):
                    continue
            volumes.append(volume)
        if "marker" in args:
            ids = [v["id"] for v in volumes]
            if args["marker"][0] not in ids:
                return error(request, 400, "badRequest", "Invalid input received: marker [%s] not found" % args["marker"][0])
            volumes = volumes[ids.index(args["marker"][0]) + 1:]
        reply = {}
        if "limit" in args and args["limit"][0].isdigit() and len(volumes) > int(args["limit"][0]):
            volumes = volumes[:int(args["limit"][0])]
            suffix = "/detail" if detail else ""
            reply["volumes_links"] = [{"rel": "next", "href": "%s/%s/%s/volumes%s?limit=%s&marker=%s" % (
                self._uri_prefix, version, tenant_id, suffix, args["limit"][0], volumes[-1]["id"])}]
        if detail:
            reply["volumes"] = [public(v) for v in volumes]
        else:
            reply["volumes"] = [{"id": v["id"], "name": v["name"], "links": v["links"]} for v in volumes]
        return json.dumps(reply)

    @app.route("/<any(v2, v3):version>/<string:tenant_id>/volumes", methods=["GET"])
    def list_volumes(self, request, version, tenant_id):
        return self._listing(request, version, tenant_id, detail=False)

    @app.route("/<any(v2, v3):version>/<string:tenant_id>/volumes/detail", methods=["GET"])
    def list_volumes_detail(self, request, version, tenant_id):
        return self._listing(request, version, tenant_id, detail=True)

    @app.route("/<any(v2, v3):version>/<string:tenant_id>/volumes/<string:volume_id>", methods=["GET"])
    def show_volume(self, request, version, tenant_id, volume_id):
        request.setHeader(b"Content-Type", b"application/json")
        volume = self._volume(request, tenant_id, volume_id)
        if volume is None:
            return error(request, 404, "itemNotFound", "Volume %s could not be found." % volume_id)
        return json.dumps({"volume": public(volume)})

    @app.route("/<any(v2, v3):version>/<string:tenant_id>/volumes/<string:volume_id>", methods=["PUT"])
    def update_volume(self, request, version, tenant_id, volume_id):
        request.setHeader(b"Content-Type", b"application/json")
        volume = self._volume(request, tenant_id, volume_id)
        if volume is None:
            return error(request, 404, "itemNotFound", "Volume %s could not be found." % volume_id)
        body = parse_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("volume"), dict):
            return error(request, 400, "badRequest", "Missing required element 'volume' in request body.")
        changes = body["volume"]
        for key in ("name", "description"):
            if key in changes:
                volume[key] = changes[key]
        if isinstance(changes.get("metadata"), dict):
            volume["metadata"] = dict(changes["metadata"])
        volume["updated_at"] = seconds_to_timestamp(self._now(), CINDER_TIME)
        return json.dumps({"volume": public(volume)})

    @app.route("/<any(v2, v3):version>/<string:tenant_id>/volumes/<string:volume_id>/action", methods=["POST"])
    def volume_action(self, request, version, tenant_id, volume_id):
        """Volume actions (Block Storage API v2/v3, "Volume actions (volumes, action)"): only
        `os-extend` {"new_size": GiB} is implemented. At the base microversion Cinder extends an
        `available` volume only (extending an attached one needs microversion 3.42 and a backend
        that supports it, which this extension does not model): 202 with no body; 400 when the
        volume is not available or new_size is not an integer above the current size; 404 for an
        unknown volume; any other action is a 400."""
        request.setHeader(b"Content-Type", b"application/json")
        volume = self._volume(request, tenant_id, volume_id)
        if volume is None:
            return error(request, 404, "itemNotFound", "Volume %s could not be found." % volume_id)
        body = parse_json(request)
        if not isinstance(body, dict) or len(body) != 1:
            return error(request, 400, "badRequest", "Malformed request body: one action expected.")
        action, arguments = next(iter(body.items()))
        if action != "os-extend":
            return error(request, 400, "badRequest", "There is no such action: %s" % action)
        new_size = arguments.get("new_size") if isinstance(arguments, dict) else None
        if isinstance(new_size, str) and new_size.isdigit():
            new_size = int(new_size)
        if not isinstance(new_size, int) or isinstance(new_size, bool):
            return error(request, 400, "badRequest", "Invalid input for field/attribute new_size.")
        if volume["status"] != "available":
            return error(request, 400, "badRequest",
                         "Invalid volume: Volume %s status must be available to extend, but current status is: %s."
                         % (volume_id, volume["status"]))
        if new_size <= volume["size"]:
            return error(request, 400, "badRequest",
                         "Invalid input received: New size for extend must be greater than current size. "
                         "(current: %d, extended: %d)." % (volume["size"], new_size))
        volume["size"] = new_size
        volume["updated_at"] = seconds_to_timestamp(self._now(), CINDER_TIME)
        request.setResponseCode(202)
        return b""

    @app.route("/<any(v2, v3):version>/<string:tenant_id>/volumes/<string:volume_id>", methods=["DELETE"])
    def delete_volume(self, request, version, tenant_id, volume_id):
        request.setHeader(b"Content-Type", b"application/json")
        store = self._store(tenant_id)
        volume = self._volume(request, tenant_id, volume_id)
        if volume is None:
            return error(request, 404, "itemNotFound", "Volume %s could not be found." % volume_id)
        if volume["status"] not in DELETABLE or volume["attachments"]:
            return error(request, 400, "badRequest",
                         "Invalid volume: Volume status must be available or error or error_restoring or "
                         "error_extending or error_managing and must not be migrating, attached, belong to a "
                         "group, have snapshots or be disassociated from snapshots after volume transfer.")
        del store.volumes[volume_id]
        store.order.remove(volume_id)
        request.setResponseCode(202)
        return b""

    def _type(self, volume_type):
        shown = dict(volume_type)
        del shown["encryption"]
        return shown

    @app.route("/<any(v2, v3):version>/<string:tenant_id>/types", methods=["GET"])
    def list_types(self, request, version, tenant_id):
        request.setHeader(b"Content-Type", b"application/json")
        return json.dumps({"volume_types": [self._type(t) for t in self._store(tenant_id).types]})

    @app.route("/<any(v2, v3):version>/<string:tenant_id>/types/<string:type_id>", methods=["GET"])
    def show_type(self, request, version, tenant_id, type_id):
        request.setHeader(b"Content-Type", b"application/json")
        volume_type = self._store(tenant_id).volume_type(type_id)
        if volume_type is None:
            return error(request, 404, "itemNotFound", "Volume type %s could not be found." % type_id)
        return json.dumps({"volume_type": self._type(volume_type)})

    @app.route("/<any(v2, v3):version>/<string:tenant_id>/types/<string:type_id>/encryption", methods=["GET"])
    def show_type_encryption(self, request, version, tenant_id, type_id):
        request.setHeader(b"Content-Type", b"application/json")
        volume_type = self._store(tenant_id).volume_type(type_id)
        if volume_type is None:
            return error(request, 404, "itemNotFound", "Volume type %s could not be found." % type_id)
        encryption = volume_type["encryption"]
        if encryption is None:
            return json.dumps({})
        reply = dict(encryption)
        reply.update({"volume_type_id": volume_type["id"], "encryption_id": stable_id("encryption", volume_type["name"]),
                      "created_at": seconds_to_timestamp(0, CINDER_TIME), "updated_at": None,
                      "deleted": False, "deleted_at": None})
        return json.dumps(reply)


block_storage = BlockStorageApi()

# Nova's os-volume_attachments (mimic lacks them) live beside Nova's own routes; registering them here
# guarantees they load, since twisted.plugin imports only modules that hold plugins.
from mimic.plugins import catalyze_volume_attachments  # noqa: E402

catalyze_volume_attachments.register(block_storage)
