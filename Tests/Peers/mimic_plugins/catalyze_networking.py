"""
catalyze's extension of mimic (Rackspace's API mock): Neutron networking.

mimic 2.2.0 ships Neutron as a read-only stub (GET networks answers an empty list, POST answers 405)
and has no security groups. This plugin replaces it (scripts/setup.sh links it into mimic's plugin
folder and moves the stub aside), written to the documented OpenStack Networking API v2.0 (request
and response shapes, status codes, NeutronError bodies). As with a real Neutron, the project comes
from the token (X-Auth-Token, as issued by mimic's identity), not from the URL; an unknown or missing
token answers 401. Calls covered, under `<endpoint>` = `.../v2.0`:

  POST/GET        /networks, /subnets, /security-groups, /security-group-rules    create (201) / list
  GET/PUT/DELETE  /{collection}/{id}                                             show / update / 204
                  (security group rules cannot be updated, as in Neutron)
  PUT/GET/DELETE  /{collection}/{id}/tags, PUT/DELETE /{collection}/{id}/tags/{tag}   tag extension
List filters: any attribute (`name=`, `id=`, `network_id=`, `security_group_id=`, ...; repeat a key for
OR), `tags`, `tags-any`, `not-tags`, `not-tags-any` (comma-separated), `fields=`; `tags` may also be
given on create. Behaviour kept from Neutron: a subnet's CIDR is validated and gets a gateway and
allocation pool; a new security group has the two default egress rules (IPv4, IPv6); a duplicate
rule answers 409 SecurityGroupRuleExists; deleting a network deletes its subnets; deleting a security
group deletes its rules, and a group still referenced by another group's rule answers 409 SecurityGroupInUse.

Catalog entry (per region DFW, ORD, IAD; no tenant in the URL, as with Rackspace's cloudNetworks):
  cloudNetworks  type network  .../mimicking/NetworkingApi-XXXXXX/{region}/v2.0
"""

from __future__ import absolute_import, division, unicode_literals

import ipaddress
import json
import uuid

from twisted.plugin import IPlugin
from zope.interface import implementer

from mimic.catalog import Endpoint, Entry
from mimic.imimic import IAPIMock
from mimic.rest.mimicapp import MimicApp
from mimic.util.helper import seconds_to_timestamp

NEUTRON_TIME = "%Y-%m-%dT%H:%M:%SZ"
COLLECTIONS = {  # URL collection -> (singular body key, resource type name in errors)
    "networks": ("network", "Network"),
    "subnets": ("subnet", "Subnet"),
    "security-groups": ("security_group", "SecurityGroup"),
    "security-group-rules": ("security_group_rule", "SecurityGroupRule"),
}
UPDATABLE = {
    "networks": ("name", "description", "admin_state_up", "mtu", "port_security_enabled", "shared"),
    "subnets": ("name", "description", "gateway_ip", "enable_dhcp", "dns_nameservers", "host_routes",
                "allocation_pools"),
    "security-groups": ("name", "description", "stateful"),
    "security-group-rules": (),
}
PAGING_KEYS = ("fields", "limit", "marker", "sort_key", "sort_dir", "page_reverse",
               "tags", "tags-any", "not-tags", "not-tags-any")


class TenantlessEndpoint(Endpoint):
    """An endpoint whose URL ends with the version: Neutron takes the project from the token."""

    def url_with_prefix(self, uri_prefix, internal_url=False):
        return "/".join([uri_prefix.rstrip("/"), self.prefix])


@implementer(IAPIMock, IPlugin)
class NetworkingApi(object):
    """The Neutron API mock: catalog entry and a resource per region."""

    def __init__(self, regions=("DFW", "ORD", "IAD")):
        self._regions = list(regions)

    def catalog_entries(self, tenant_id):
        return [Entry(tenant_id, "network", "cloudNetworks",
                      [TenantlessEndpoint(tenant_id, region, str(uuid.uuid4()), prefix="v2.0")
                       for region in self._regions])]

    def resource_for_region(self, region, uri_prefix, session_store):
        return NetworkingRegion(self, uri_prefix, session_store, region).app.resource()


class NeutronError(Exception):
    """An error reply: status, NeutronError type and message."""

    def __init__(self, status, kind, message):
        Exception.__init__(self, message)
        self.status, self.kind, self.message = status, kind, message


def bad_request(message):
    return NeutronError(400, "HTTPBadRequest", message)


class NetworkingRegion(object):
    """Klein routes of one region's Neutron endpoint."""

    app = MimicApp()

    def __init__(self, api, uri_prefix, session_store, region):
        self._api = api
        self._session_store = session_store
        self._region = region

    # --- plumbing ---------------------------------------------------------------------------------

    def _tenant(self, request):
        token = request.getHeader(b"X-Auth-Token")
        if not token:
            raise NeutronError(401, "HTTPUnauthorized", "Authentication required")
        try:
            return self._session_store.existing_session_for_token(token.decode("utf-8")).tenant_id
        except KeyError:
            raise NeutronError(401, "HTTPUnauthorized", "Authentication required")

    def _store(self, tenant_id):
        session = self._session_store.session_for_tenant_id(tenant_id)
        regions = session.data_for_api(self._api, dict)
        if self._region not in regions:
            regions[self._region] = {name: {} for name in COLLECTIONS}
        return regions[self._region]

    def _now(self):
        return seconds_to_timestamp(self._session_store.clock.seconds(), NEUTRON_TIME)

    def _serve(self, request, handler, *args):
        request.setHeader(b"Content-Type", b"application/json")
        try:
            tenant_id = self._tenant(request)
            status, body = handler(tenant_id, self._store(tenant_id), *args)
        except NeutronError as error:
            request.setResponseCode(error.status)
            return json.dumps({"NeutronError": {"type": error.kind, "message": error.message, "detail": ""}})
        request.setResponseCode(status)
        return b"" if body is None else json.dumps(body)

    @staticmethod
    def _body(request, key):
        try:
            body = json.loads(request.content.read().decode("utf-8") or "null")
        except ValueError:
            raise bad_request("Malformed request body")
        if not isinstance(body, dict) or not isinstance(body.get(key), dict):
            raise bad_request("Resource body required")
        return body[key]

    @staticmethod
    def _find(store, collection, object_id):
        found = store[collection].get(object_id)
        if found is None:
            kind = COLLECTIONS[collection][1]
            if collection == "security-groups":
                raise NeutronError(404, "SecurityGroupNotFound", "Security group %s does not exist" % object_id)
            if collection == "security-group-rules":
                raise NeutronError(404, "SecurityGroupRuleNotFound",
                                   "Security group rule %s does not exist" % object_id)
            raise NeutronError(404, "%sNotFound" % kind, "%s %s could not be found." % (kind, object_id))
        return found

    @staticmethod
    def _check_description(spec):
        # Neutron keeps descriptions in a 255-character column and refuses longer ones with a 400
        # (neutron-lib: DESCRIPTION_FIELD_SIZE = 255); catalyze keeps its tags there, so the
        # extension is as strict as the real service.
        description = spec.get("description", "")
        if description is not None and len(description) > 255:
            raise bad_request("Invalid input for description. Reason: '%s' exceeds maximum length of 255." % description)

    def _common(self, tenant_id, spec):
        now = self._now()
        self._check_description(spec)
        tags = spec.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise bad_request("Invalid input for tags. Reason: must be a list of strings.")
        return {"id": str(uuid.uuid4()), "tenant_id": tenant_id, "project_id": tenant_id,
                "description": spec.get("description", ""), "tags": sorted(set(tags)),
                "created_at": now, "updated_at": now, "revision_number": 0}

    # --- builders, one per collection ------------------------------------------------------------

    def _new_network(self, tenant_id, store, spec):
        network = self._common(tenant_id, spec)
        network.update({"name": spec.get("name", ""), "admin_state_up": spec.get("admin_state_up", True),
                        "status": "ACTIVE", "subnets": [], "shared": spec.get("shared", False),
                        "router:external": spec.get("router:external", False), "mtu": spec.get("mtu", 1500),
                        "port_security_enabled": spec.get("port_security_enabled", True),
                        "availability_zone_hints": [], "availability_zones": ["nova"],
                        "ipv4_address_scope": None, "ipv6_address_scope": None})
        return network

    def _new_subnet(self, tenant_id, store, spec):
        for key in ("network_id", "cidr", "ip_version"):
            if key not in spec:
                raise bad_request("Failed to parse request. Required attribute '%s' not specified" % key)
        network = self._find(store, "networks", spec["network_id"])
        try:
            cidr = ipaddress.ip_network(spec["cidr"], strict=True)
        except (ValueError, TypeError):
            raise bad_request("Invalid input for cidr. Reason: '%s' is not a valid IP subnet." % spec["cidr"])
        try:
            spec["ip_version"] = int(spec["ip_version"])
        except (ValueError, TypeError):
            raise bad_request("Invalid input for ip_version. Reason: %s is not in [4, 6]." % spec["ip_version"])
        if spec["ip_version"] not in (4, 6) or cidr.version != spec["ip_version"]:
            raise bad_request("Invalid input for operation: ip_version %s does not match cidr %s."
                              % (spec["ip_version"], spec["cidr"]))
        hosts = cidr.hosts() if cidr.num_addresses > 2 else iter(cidr)
        first = next(hosts, cidr.network_address)
        gateway = spec.get("gateway_ip", str(first))
        last = cidr.broadcast_address - 1 if cidr.version == 4 and cidr.num_addresses > 2 else cidr[-1]
        pool_start = first + 1 if gateway == str(first) else first
        subnet = self._common(tenant_id, spec)
        subnet.update({"name": spec.get("name", ""), "network_id": network["id"], "ip_version": spec["ip_version"],
                       "cidr": str(cidr), "gateway_ip": gateway, "enable_dhcp": spec.get("enable_dhcp", True),
                       "allocation_pools": spec.get("allocation_pools", [{"start": str(pool_start), "end": str(last)}]),
                       "dns_nameservers": spec.get("dns_nameservers", []), "host_routes": spec.get("host_routes", []),
                       "subnetpool_id": None, "ipv6_address_mode": spec.get("ipv6_address_mode"),
                       "ipv6_ra_mode": spec.get("ipv6_ra_mode"), "service_types": [], "segment_id": None})
        network["subnets"].append(subnet["id"])
        return subnet

    def _new_security_group(self, tenant_id, store, spec):
        group = self._common(tenant_id, spec)
        group.update({"name": spec.get("name", ""), "stateful": spec.get("stateful", True),
                      "security_group_rules": []})
        store["security-groups"][group["id"]] = group
        for ethertype in ("IPv4", "IPv6"):
            rule = self._new_rule(tenant_id, store, {"security_group_id": group["id"], "direction": "egress",
                                                     "ethertype": ethertype})
            store["security-group-rules"][rule["id"]] = rule
        return group

    def _new_rule(self, tenant_id, store, spec):
        group = self._find(store, "security-groups", spec.get("security_group_id"))
        direction = spec.get("direction")
        if direction not in ("ingress", "egress"):
            raise bad_request("Invalid input for direction. Reason: %s is not in valid_values." % direction)
        ethertype = spec.get("ethertype", "IPv4")
        if ethertype not in ("IPv4", "IPv6"):
            raise bad_request("Invalid input for ethertype. Reason: %s is not in valid_values." % ethertype)
        protocol = spec.get("protocol")
        low, high = spec.get("port_range_min"), spec.get("port_range_max")
        if (low is not None or high is not None) and protocol not in ("tcp", "udp", "sctp", "6", "17", "132"):
            if protocol not in ("icmp", "ipv6-icmp", "1", "58"):
                raise NeutronError(400, "SecurityGroupProtocolRequiredWithPorts",
                                   "Must also specify protocol if port range is given.")
        if low is not None and high is not None and protocol in ("tcp", "udp", "sctp") and int(low) > int(high):
            raise NeutronError(400, "SecurityGroupInvalidPortRange",
                               "For TCP/UDP protocols, port_range_min must be <= port_range_max")
        prefix = spec.get("remote_ip_prefix")
        if prefix is not None:
            try:
                network = ipaddress.ip_network(prefix, strict=False)
            except ValueError:
                raise bad_request("Invalid input for remote_ip_prefix. Reason: '%s' is not a valid IP subnet." % prefix)
            if "IPv%d" % network.version != ethertype:
                raise NeutronError(400, "SecurityGroupRuleParameterConflict",
                                   "Conflicting value ethertype %s for CIDR %s" % (ethertype, prefix))
            prefix = str(network)
        remote_group = spec.get("remote_group_id")
        if remote_group is not None:
            self._find(store, "security-groups", remote_group)
        rule = self._common(tenant_id, spec)
        del rule["tags"]
        rule.update({"security_group_id": group["id"], "direction": direction, "ethertype": ethertype,
                     "protocol": protocol, "port_range_min": low, "port_range_max": high,
                     "remote_ip_prefix": prefix, "remote_group_id": remote_group,
                     "remote_address_group_id": None, "normalized_cidr": prefix})
        identity = ("security_group_id", "direction", "ethertype", "protocol", "port_range_min",
                    "port_range_max", "remote_ip_prefix", "remote_group_id")
        for existing in store["security-group-rules"].values():
            if all(existing[key] == rule[key] for key in identity):
                raise NeutronError(409, "SecurityGroupRuleExists",
                                   "Security group rule already exists. Rule id is %s." % existing["id"])
        group["security_group_rules"].append(rule)
        return rule

    # --- generic handlers --------------------------------------------------------------------------

    def _create(self, tenant_id, store, collection, request):
        key = COLLECTIONS[collection][0]
        spec = self._body(request, key)
        build = {"networks": self._new_network, "subnets": self._new_subnet,
                 "security-groups": self._new_security_group, "security-group-rules": self._new_rule}[collection]
        created = build(tenant_id, store, spec)
        store[collection][created["id"]] = created
        return 201, {key: self._shown(store, collection, created)}

    def _shown(self, store, collection, item):
        if collection == "security-groups":
            item = dict(item)
            item["security_group_rules"] = [r for r in item["security_group_rules"]
                                            if r["id"] in store["security-group-rules"]]
        return item

    def _list(self, tenant_id, store, collection, request):
        args = {k.decode(): [v.decode() for v in vs] for k, vs in request.args.items()}
        items = [item for item in store[collection].values()]  # creation order
        def matches(item):
            for key, values in args.items():
                if key in PAGING_KEYS:
                    continue
                value = item.get(key)
                shown = json.dumps(value) if isinstance(value, bool) or value is None else str(value)
                if shown not in values and str(value) not in values:
                    return False
            tags = set(item.get("tags", []))
            def tag_list(name):
                return {t for v in args.get(name, []) for t in v.split(",") if t}
            if "tags" in args and not tag_list("tags") <= tags:
                return False
            if "tags-any" in args and not tag_list("tags-any") & tags:
                return False
            if "not-tags" in args and tag_list("not-tags") <= tags:
                return False
            if "not-tags-any" in args and tag_list("not-tags-any") & tags:
                return False
            return True
        shown = [self._shown(store, collection, item) for item in items if matches(item)]
        if "fields" in args:
            shown = [{k: v for k, v in item.items() if k in args["fields"]} for item in shown]
        return 200, {collection.replace("-", "_"): shown}

    def _show(self, tenant_id, store, collection, object_id):
        return 200, {COLLECTIONS[collection][0]: self._shown(store, collection, self._find(store, collection, object_id))}

    def _update(self, tenant_id, store, collection, object_id, request):
        item = self._find(store, collection, object_id)
        key = COLLECTIONS[collection][0]
        changes = self._body(request, key)
        allowed = UPDATABLE[collection]
        refused = sorted(k for k in changes if k not in allowed)
        if refused:
            raise bad_request("Cannot update read-only attribute %s" % refused[0])
        self._check_description(changes)
        item.update(changes)
        item["updated_at"] = self._now()
        item["revision_number"] += 1
        return 200, {key: self._shown(store, collection, item)}

    def _delete(self, tenant_id, store, collection, object_id):
        item = self._find(store, collection, object_id)
        if collection == "networks":
            for subnet_id in item["subnets"]:
                store["subnets"].pop(subnet_id, None)
        elif collection == "subnets":
            network = store["networks"].get(item["network_id"])
            if network is not None and object_id in network["subnets"]:
                network["subnets"].remove(object_id)
        elif collection == "security-groups":
            users = [r for r in store["security-group-rules"].values()
                     if r["remote_group_id"] == object_id and r["security_group_id"] != object_id]
            if users:
                raise NeutronError(409, "SecurityGroupInUse",
                                   "Security Group %s in use." % object_id)
            for rule_id in [r["id"] for r in store["security-group-rules"].values()
                            if r["security_group_id"] == object_id]:
                del store["security-group-rules"][rule_id]
        elif collection == "security-group-rules":
            group = store["security-groups"].get(item["security_group_id"])
            if group is not None:
                group["security_group_rules"] = [r for r in group["security_group_rules"] if r["id"] != object_id]
        del store[collection][object_id]
        return 204, None

    def _tags(self, tenant_id, store, collection, object_id, request, tag=None):
        if collection == "security-group-rules":
            raise NeutronError(404, "HTTPNotFound", "The resource could not be found.")
        item = self._find(store, collection, object_id)
        method = request.method.decode()
        if method == "GET" and tag is None:
            return 200, {"tags": item["tags"]}
        if method == "GET":
            if tag not in item["tags"]:
                raise NeutronError(404, "TagNotFound", "Tag %s could not be found." % tag)
            return 204, None
        if method == "PUT" and tag is None:
            body = json.loads(request.content.read().decode("utf-8") or "{}")
            if not isinstance(body.get("tags"), list):
                raise bad_request("Invalid input for tags.")
            item["tags"] = sorted(set(body["tags"]))
            return 200, {"tags": item["tags"]}
        if method == "PUT":
            item["tags"] = sorted(set(item["tags"]) | {tag})
            return 201, None
        if tag is None:
            item["tags"] = []
            return 204, None
        if tag not in item["tags"]:
            raise NeutronError(404, "TagNotFound", "Tag %s could not be found." % tag)
        item["tags"] = [t for t in item["tags"] if t != tag]
        return 204, None

    # --- routes ------------------------------------------------------------------------------------

    COLLECTION = '/v2.0/<any(networks, subnets, "security-groups", "security-group-rules"):collection>'

    @app.route(COLLECTION, methods=["POST"])
    def create(self, request, collection):
        return self._serve(request, self._create, collection, request)

    @app.route(COLLECTION, methods=["GET"])
    def list_items(self, request, collection):
        return self._serve(request, self._list, collection, request)

    @app.route(COLLECTION + "/<string:object_id>", methods=["GET"])
    def show(self, request, collection, object_id):
        return self._serve(request, self._show, collection, object_id)

    @app.route(COLLECTION + "/<string:object_id>", methods=["PUT"])
    def update(self, request, collection, object_id):
        return self._serve(request, self._update, collection, object_id, request)

    @app.route(COLLECTION + "/<string:object_id>", methods=["DELETE"])
    def delete(self, request, collection, object_id):
        return self._serve(request, self._delete, collection, object_id)

    @app.route(COLLECTION + "/<string:object_id>/tags", methods=["GET", "PUT", "DELETE"])
    def all_tags(self, request, collection, object_id):
        return self._serve(request, self._tags, collection, object_id, request)

    @app.route(COLLECTION + "/<string:object_id>/tags/<string:tag>", methods=["GET", "PUT", "DELETE"])
    def one_tag(self, request, collection, object_id, tag):
        return self._serve(request, self._tags, collection, object_id, request, tag)


networking = NetworkingApi()
