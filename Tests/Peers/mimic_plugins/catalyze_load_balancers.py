"""
catalyze's extension of mimic (Rackspace's API mock): Cloud Load Balancers SSL termination, node
metadata, and updates of a balancer in place (attributes, metadata).

mimic 2.2.0's Cloud Load Balancers have no `ssltermination` resource and no node metadata (every
such call answers 404). This plugin adds them to mimic's own load balancer API (same URL prefix as the catalog's
`cloudLoadBalancers` endpoint, so `.../v2/{tenant}/loadbalancers/...` in mimic; the real service
is `/v1.0/{account}/...`, also routed), written to the Rackspace Cloud Load Balancers API v1.0
reference ("Show / Update / Delete SSL termination configuration"):

  GET    /loadbalancers/{id}/ssltermination  -> 200 {"sslTermination": {"certificate",
                                                "intermediateCertificate" (when set), "enabled",
                                                "secureTrafficOnly", "securePort"}}
                                                -- never the private key; 404 when none is set
  PUT    /loadbalancers/{id}/ssltermination  {"sslTermination": {...}} -> 200, no body
  DELETE /loadbalancers/{id}/ssltermination  -> 200, no body; 404 when none is set

  POST   /loadbalancers/{id}/nodes/{nodeId}/metadata  {"metadata": [{"key", "value"}, ...]} -> 200,
                                                no body (one item as {"meta": {"key", "value"}} too)
  GET    /loadbalancers/{id}/nodes/{nodeId}/metadata  -> 200 {"metadata": [{"id", "key", "value"}]}
Keys and values are strings of at most 256 characters (-> 400); an unknown node -> 404.

  PUT    /loadbalancers/{id}  {"loadBalancer": {"protocol", "port", "name", "algorithm", "timeout",
                                "halfClosed", "httpsRedirect"}} -> 202 ("Update load balancer attributes")
  GET    /loadbalancers/{id}/metadata            -> 200 {"metadata": [{"id", "key", "value"}]}
  POST   /loadbalancers/{id}/metadata            {"metadata": [{"key", "value"}]} -> 200 {"metadata": [new items]}
  PUT    /loadbalancers/{id}/metadata/{metaId}   {"meta": {"value"}} -> 200
  DELETE /loadbalancers/{id}/metadata/{metaId}   -> 200
mimic keeps the metadata given at create in the balancer's details; these calls give the items ids
and change them there, so GET /loadbalancers/{id} shows the change.

SSL termination PUT follows the reference's rules:
  * a new configuration (or a replacement) needs `securePort`, `certificate` and `privatekey`
    together; `intermediateCertificate` only with them. Without a certificate/key pair, only
    `enabled`, `secureTrafficOnly` and `securePort` of an existing configuration change.
  * the private key is validated and verified against the certificate (PEM; key and certificate
    must hold the same public key), the intermediate certificates must parse -> 400 otherwise.
  * only load balancers of a non-secure protocol take SSL termination (HTTPS -> 400), and
    `securePort` must differ from the balancer's own port (-> 400).
  * `enabled` defaults to true, `secureTrafficOnly` to false.
Every call answers 404 for an unknown balancer and PUT/DELETE 422 (immutable) for one that is not
ACTIVE, as mimic does for nodes. Error bodies use mimic's CLB shape `{"message", "code"}`; the
message texts are ours. Like the real service, the private key is never returned; this plugin does
not even keep it (only that it matched).

PENDING_UPDATE holds (test-only control: no such call exists in Rackspace's cloud). The Cloud Load
Balancers API v1.0 reference ("Load balancer statuses"; pyrax's `CloudLoadBalancer` waits for the
same thing) says a balancer is PENDING_UPDATE while a change is being put in place and is
immutable until it is ACTIVE again: a PUT, POST or DELETE on it, its nodes, health monitor, SSL
termination or metadata answers 422 "Load Balancer '<id>' has a status of 'PENDING_UPDATE' and is
considered immutable." mimic moves a balancer to PENDING-UPDATE only through create-time metadata
and lets a health monitor change or a delete through whatever the status; with a hold both follow
the reference. On mimic's control entry `cloudLoadBalancerControl` (same region and tenant):

  PUT    /loadbalancers/{id}/catalyze-hold  {"seconds": N}         -> 204: PENDING_UPDATE now, for N
                                                                        seconds (null or absent: until
                                                                        released)
                                            {"afterEachChange": N}  -> 204: besides, every change the
                                                                        balancer accepts from now on holds
                                                                        it PENDING_UPDATE for N seconds,
                                                                        as the real service does
  DELETE /loadbalancers/{id}/catalyze-hold                          -> 204: ACTIVE again, no more holds
Hold times are wall-clock seconds (time.time()), not mimic's fake clock, since the client under
test waits in real time. Unknown balancer -> 404; a body that is not these -> 400.
"""

from __future__ import absolute_import, division, unicode_literals

import json
import time

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from twisted.plugin import IPlugin
from zope.interface import implementer

from mimic.imimic import IAPIMock
from mimic.model.clb_errors import considered_immutable_error, invalid_json_schema
from mimic.model.clb_objects import RegionalCLBCollection
from mimic.rest.loadbalancer_api import LoadBalancerControlRegion, LoadBalancerRegion
from mimic.util.helper import json_from_request

SECURE_PROTOCOLS = ("HTTPS", "IMAPS", "LDAPS", "POP3S", "SFTP")


def _reply(request, body, code):
    request.setResponseCode(code)
    if body is None:
        return b""
    request.setHeader(b"Content-Type", b"application/json")
    return json.dumps(body)


def _bad(request, message):
    return _reply(request, {"message": message, "code": 400}, 400)


def _balancer(region, request, tenant_id, lb_id, mutating):
    """(balancer, None) or (None, the reply to send)."""
    collection = region.session(tenant_id)
    if lb_id not in collection.lbs:
        return None, _reply(request, {"message": "Load balancer not found", "code": 404}, 404)
    collection._verify_and_update_lb_state(lb_id, False, collection.clock.seconds())
    balancer = collection.lbs[lb_id]
    if mutating and balancer["status"] != "ACTIVE":
        body, code = considered_immutable_error(balancer["status"], lb_id)
        return None, _reply(request, body, code)
    return balancer, None


def _certificates(text):
    return x509.load_pem_x509_certificates(text.encode("utf-8"))


def _verified_pair(certificate, private_key):
    """An error message, or None when `private_key` belongs to `certificate`."""
    try:
        cert = _certificates(certificate)[0]
    except Exception:
        return "certificate is not a PEM X.509 certificate"
    try:
        key = serialization.load_pem_private_key(private_key.encode("utf-8"), password=None)
    except Exception:
        return "privatekey is not an unencrypted PEM private key"
    spki = serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    if cert.public_key().public_bytes(*spki) != key.public_key().public_bytes(*spki):
        return "privatekey does not match the certificate"
    return None


def show_ssl_termination(self, request, tenant_id, lb_id):
    balancer, failure = _balancer(self, request, tenant_id, lb_id, mutating=False)
    if failure is not None:
        return failure
    config = getattr(balancer, "catalyze_ssl", None)
    if config is None:
        return _reply(request, {"message": "No SSL termination configured on load balancer %s" % lb_id,
                                "code": 404}, 404)
    return _reply(request, {"sslTermination": dict(config)}, 200)


def update_ssl_termination(self, request, tenant_id, lb_id):
    balancer, failure = _balancer(self, request, tenant_id, lb_id, mutating=True)
    if failure is not None:
        return failure
    try:
        body = json_from_request(request)["sslTermination"]
        assert isinstance(body, dict)
    except Exception:
        schema, code = invalid_json_schema()
        return _reply(request, schema, code)
    if balancer["protocol"] in SECURE_PROTOCOLS:
        return _bad(request, "SSL termination can only be configured on a load balancer with a non-secure "
                             "protocol; this one is %s" % balancer["protocol"])
    current = getattr(balancer, "catalyze_ssl", None)
    pair = ("certificate" in body, "privatekey" in body)
    if any(pair) and not all(pair):
        return _bad(request, "certificate and privatekey must be given together")
    if "intermediateCertificate" in body and not all(pair):
        return _bad(request, "intermediateCertificate may only be given with a certificate, privatekey and securePort")
    if current is None and not (all(pair) and "securePort" in body):
        return _bad(request, "a new SSL termination needs securePort, certificate and privatekey")
    if all(pair) and "securePort" not in body:
        return _bad(request, "a certificate and privatekey must come with a securePort")
    for flag in ("enabled", "secureTrafficOnly"):
        if flag in body and not isinstance(body[flag], bool):
            return _bad(request, "%s must be true or false" % flag)
    if "securePort" in body:
        port = body["securePort"]
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            return _bad(request, "securePort must be a port number")
        if port == balancer["port"]:
            return _bad(request, "securePort %d must differ from the load balancer's port" % port)
    config = dict(current) if current is not None and not all(pair) else {"enabled": True, "secureTrafficOnly": False}
    if all(pair):
        problem = _verified_pair(body["certificate"], body["privatekey"])
        if problem is not None:
            return _bad(request, problem)
        config["certificate"] = body["certificate"]
        if body.get("intermediateCertificate"):
            try:
                _certificates(body["intermediateCertificate"])
            except Exception:
                return _bad(request, "intermediateCertificate is not a PEM X.509 certificate chain")
            config["intermediateCertificate"] = body["intermediateCertificate"]
    for key in ("enabled", "secureTrafficOnly", "securePort"):
        if key in body:
            config[key] = body[key]
    balancer.catalyze_ssl = config
    return _reply(request, None, 200)


def delete_ssl_termination(self, request, tenant_id, lb_id):
    balancer, failure = _balancer(self, request, tenant_id, lb_id, mutating=True)
    if failure is not None:
        return failure
    if getattr(balancer, "catalyze_ssl", None) is None:
        return _reply(request, {"message": "No SSL termination configured on load balancer %s" % lb_id,
                                "code": 404}, 404)
    balancer.catalyze_ssl = None
    return _reply(request, None, 200)


def _node(region, request, tenant_id, lb_id, node_id, mutating):
    """(node, None) or (None, the reply to send)."""
    balancer, failure = _balancer(region, request, tenant_id, lb_id, mutating)
    if failure is not None:
        return None, failure
    node = next((node for node in balancer.nodes if node.id == node_id), None)
    if node is None:
        return None, _reply(request, {"message": "Node not found", "code": 404}, 404)
    return node, None


def add_node_metadata(self, request, tenant_id, lb_id, node_id):
    node, failure = _node(self, request, tenant_id, lb_id, node_id, mutating=True)
    if failure is not None:
        return failure
    try:
        body = json_from_request(request)
        items = body["metadata"] if "metadata" in body else [body["meta"]]
        assert isinstance(items, list) and items
    except Exception:
        schema, code = invalid_json_schema()
        return _reply(request, schema, code)
    for item in items:
        key, value = (item.get("key"), item.get("value")) if isinstance(item, dict) else (None, None)
        if not all(isinstance(text, str) and 0 < len(text) <= 256 for text in (key, value)):
            return _bad(request, "metadata items need a key and a value of 1 to 256 characters")
    metadata = getattr(node, "catalyze_metadata", None)
    if metadata is None:
        metadata = node.catalyze_metadata = []
    for item in items:
        metadata.append({"id": len(metadata) + 1, "key": item["key"], "value": item["value"]})
    return _reply(request, None, 200)


def list_node_metadata(self, request, tenant_id, lb_id, node_id):
    node, failure = _node(self, request, tenant_id, lb_id, node_id, mutating=False)
    if failure is not None:
        return failure
    return _reply(request, {"metadata": list(getattr(node, "catalyze_metadata", None) or [])}, 200)


UPDATABLE = ("name", "algorithm", "protocol", "port", "timeout", "halfClosed", "httpsRedirect")
PROTOCOLS = ("DNS_TCP", "DNS_UDP", "FTP", "HTTP", "HTTPS", "IMAPS", "IMAPv4", "LDAP", "LDAPS", "MYSQL",
             "POP3", "POP3S", "SFTP", "SMTP", "TCP", "TCP_CLIENT_FIRST", "UDP", "UDP_STREAM")


def update_load_balancer(self, request, tenant_id, lb_id):
    """PUT /loadbalancers/{id} {"loadBalancer": {name, algorithm, protocol, port, timeout,
    halfClosed, httpsRedirect}} -> 202, no body ("Update load balancer attributes"). Any other
    attribute, an unknown protocol or a port outside 1-65535 -> 400; a secure protocol while SSL
    termination is configured -> 400 (termination needs a non-secure protocol)."""
    balancer, failure = _balancer(self, request, tenant_id, lb_id, mutating=True)
    if failure is not None:
        return failure
    try:
        changes = json_from_request(request)["loadBalancer"]
        assert isinstance(changes, dict) and changes
    except Exception:
        schema, code = invalid_json_schema()
        return _reply(request, schema, code)
    unknown = sorted(key for key in changes if key not in UPDATABLE)
    if unknown:
        return _bad(request, "Attributes cannot be updated: %s" % ", ".join(unknown))
    if "protocol" in changes and changes["protocol"] not in PROTOCOLS:
        return _bad(request, "Protocol %s is not supported" % changes["protocol"])
    if "port" in changes and not (isinstance(changes["port"], int) and 0 < changes["port"] < 65536):
        return _bad(request, "Port must be an integer from 1 to 65535")
    if changes.get("protocol") in SECURE_PROTOCOLS and getattr(balancer, "catalyze_ssl", None) is not None:
        return _bad(request, "SSL termination is configured: the protocol must stay non-secure")
    balancer.update(changes)
    return _reply(request, None, 202)


def _metadata_of(balancer):
    """The balancer's metadata as the API lists it, each item with an id (assigned on first use)."""
    items = balancer["metadata"] if "metadata" in balancer._json else []
    next_id = max([item.get("id", 0) for item in items] + [0]) + 1
    for item in items:
        if "id" not in item:
            item["id"] = next_id
            next_id += 1
    balancer["metadata"] = items
    return items


def list_load_balancer_metadata(self, request, tenant_id, lb_id):
    """GET /loadbalancers/{id}/metadata -> 200 {"metadata": [{"id", "key", "value"}]}."""
    balancer, failure = _balancer(self, request, tenant_id, lb_id, mutating=False)
    if failure is not None:
        return failure
    return _reply(request, {"metadata": list(_metadata_of(balancer))}, 200)


def add_load_balancer_metadata(self, request, tenant_id, lb_id):
    """POST /loadbalancers/{id}/metadata {"metadata": [{"key", "value"}]} -> 200 {"metadata":
    [the new items with their ids]}; a key already present -> 400."""
    balancer, failure = _balancer(self, request, tenant_id, lb_id, mutating=True)
    if failure is not None:
        return failure
    try:
        items = json_from_request(request)["metadata"]
        assert isinstance(items, list) and items
    except Exception:
        schema, code = invalid_json_schema()
        return _reply(request, schema, code)
    current = _metadata_of(balancer)
    for item in items:
        key, value = (item.get("key"), item.get("value")) if isinstance(item, dict) else (None, None)
        if not all(isinstance(text, str) and 0 < len(text) <= 256 for text in (key, value)):
            return _bad(request, "metadata items need a key and a value of 1 to 256 characters")
        if any(existing["key"] == key for existing in current):
            return _bad(request, "Duplicate metadata key: %s" % key)
    added = []
    for item in items:
        entry = {"id": max([existing["id"] for existing in current] + [0]) + 1, "key": item["key"], "value": item["value"]}
        current.append(entry)
        added.append(entry)
    return _reply(request, {"metadata": added}, 200)


def _meta_item(balancer, meta_id):
    return next((item for item in _metadata_of(balancer) if item["id"] == meta_id), None)


def update_load_balancer_meta(self, request, tenant_id, lb_id, meta_id):
    """PUT /loadbalancers/{id}/metadata/{metaId} {"meta": {"value"}} -> 200, no body; unknown -> 404."""
    balancer, failure = _balancer(self, request, tenant_id, lb_id, mutating=True)
    if failure is not None:
        return failure
    try:
        value = json_from_request(request)["meta"]["value"]
        assert isinstance(value, str) and 0 < len(value) <= 256
    except Exception:
        schema, code = invalid_json_schema()
        return _reply(request, schema, code)
    item = _meta_item(balancer, meta_id)
    if item is None:
        return _reply(request, {"message": "Metadata item not found", "code": 404}, 404)
    item["value"] = value
    return _reply(request, None, 200)


def delete_load_balancer_meta(self, request, tenant_id, lb_id, meta_id):
    """DELETE /loadbalancers/{id}/metadata/{metaId} -> 200, no body; unknown -> 404."""
    balancer, failure = _balancer(self, request, tenant_id, lb_id, mutating=True)
    if failure is not None:
        return failure
    item = _meta_item(balancer, meta_id)
    if item is None:
        return _reply(request, {"message": "Metadata item not found", "code": 404}, 404)
    _metadata_of(balancer).remove(item)
    return _reply(request, None, 200)


# --- PENDING_UPDATE holds -------------------------------------------------------------------------

PENDING_UPDATE = "PENDING_UPDATE"  # the real service's spelling (mimic's own states say PENDING-UPDATE)


def _apply_hold(balancer):
    """Moves a held balancer to PENDING_UPDATE, or back to ACTIVE once its hold has run out."""
    hold = getattr(balancer, "catalyze_hold", None)
    if not hold or hold.get("pending") is None:
        return
    until = hold["pending"]
    if until is not True and time.time() >= until:
        hold["pending"] = None
        if balancer["status"] == PENDING_UPDATE:
            balancer["status"] = "ACTIVE"
    elif balancer["status"] in ("ACTIVE", PENDING_UPDATE):
        balancer["status"] = PENDING_UPDATE


def _changed(balancer):
    """After an accepted change: PENDING_UPDATE for the balancer's afterEachChange seconds, if set."""
    hold = getattr(balancer, "catalyze_hold", None)
    if hold and hold.get("after_change"):
        hold["pending"] = time.time() + hold["after_change"]
        _apply_hold(balancer)


if not getattr(RegionalCLBCollection, "_catalyze_holds", False):
    RegionalCLBCollection._catalyze_holds = True
    _original_verify = RegionalCLBCollection._verify_and_update_lb_state

    def _verify_and_update_lb_state(self, lb_id, *args, **kwargs):
        if lb_id in self.lbs:
            _apply_hold(self.lbs[lb_id])
        return _original_verify(self, lb_id, *args, **kwargs)

    RegionalCLBCollection._verify_and_update_lb_state = _verify_and_update_lb_state

    def _guarded(name):
        """Wraps mimic's model call `name` (lb_id is its first argument after self, or the second for
        add_node): 422 immutable while the balancer is not ACTIVE (a delete: while PENDING_UPDATE), and
        a hold after an accepted change."""
        original = getattr(RegionalCLBCollection, name)

        def guarded(self, *args):
            lb_id = args[1] if name == "add_node" else args[0]
            balancer = self.lbs.get(lb_id)
            if balancer is not None:
                _apply_hold(balancer)
                # A delete keeps mimic's own answers for PENDING-DELETE and DELETED (400).
                immutable = balancer["status"] == PENDING_UPDATE if name == "del_load_balancer" else balancer["status"] != "ACTIVE"
                if immutable:
                    return considered_immutable_error(balancer["status"], lb_id)
            body, code = original(self, *args)
            if balancer is not None and 200 <= code < 300 and lb_id in self.lbs:
                _changed(balancer)
            return body, code

        setattr(RegionalCLBCollection, name, guarded)

    for _name in ("add_node", "delete_node", "delete_nodes", "update_node", "update_health_monitor",
                  "delete_health_monitor", "del_load_balancer"):
        _guarded(_name)


def _after_change(handler):
    """Our own mutating routes: a hold after each accepted change."""
    def route(self, request, **kwargs):
        reply = handler(self, request, **kwargs)
        collection = self.session(kwargs["tenant_id"])
        if 200 <= (request.code or 200) < 300 and kwargs["lb_id"] in collection.lbs:
            _changed(collection.lbs[kwargs["lb_id"]])
        return reply
    route.__name__ = handler.__name__
    return route


def set_hold(self, request, tenant_id, lb_id):
    """PUT .../loadbalancers/{id}/catalyze-hold {"seconds": N} and/or {"afterEachChange": N}."""
    collection = self._collection_from_tenant(tenant_id)
    balancer = collection.lbs.get(lb_id)
    if balancer is None:
        return _reply(request, {"message": "Load balancer not found", "code": 404}, 404)
    try:
        body = json_from_request(request)
        assert isinstance(body, dict) and body and set(body) <= {"seconds", "afterEachChange"}
        for key in body:
            value = body[key]
            assert value is None or (not isinstance(value, bool) and isinstance(value, (int, float)) and value > 0)
    except Exception:
        return _bad(request, 'expected {"seconds": N or null} and/or {"afterEachChange": N}, N > 0')
    hold = getattr(balancer, "catalyze_hold", None) or {"pending": None, "after_change": None}
    if "seconds" in body:
        hold["pending"] = True if body["seconds"] is None else time.time() + body["seconds"]
    if "afterEachChange" in body:
        hold["after_change"] = body["afterEachChange"]
    balancer.catalyze_hold = hold
    _apply_hold(balancer)
    return _reply(request, None, 204)


def release_hold(self, request, tenant_id, lb_id):
    """DELETE .../loadbalancers/{id}/catalyze-hold: ACTIVE again, no more holds."""
    collection = self._collection_from_tenant(tenant_id)
    balancer = collection.lbs.get(lb_id)
    if balancer is None:
        return _reply(request, {"message": "Load balancer not found", "code": 404}, 404)
    balancer.catalyze_hold = None
    if balancer["status"] == PENDING_UPDATE:
        balancer["status"] = "ACTIVE"
    return _reply(request, None, 204)


if not getattr(LoadBalancerRegion, "_catalyze_balancer_updates", False):
    LoadBalancerRegion._catalyze_balancer_updates = True
    for _prefix in ("v2", "v1.0"):
        _path = "/%s/<string:tenant_id>/loadbalancers/<int:lb_id>" % _prefix
        LoadBalancerRegion.app.route(_path, methods=["PUT"])(_after_change(update_load_balancer))
        LoadBalancerRegion.app.route(_path + "/metadata", methods=["GET"])(list_load_balancer_metadata)
        LoadBalancerRegion.app.route(_path + "/metadata", methods=["POST"])(_after_change(add_load_balancer_metadata))
        LoadBalancerRegion.app.route(_path + "/metadata/<int:meta_id>", methods=["PUT"])(_after_change(update_load_balancer_meta))
        LoadBalancerRegion.app.route(_path + "/metadata/<int:meta_id>", methods=["DELETE"])(_after_change(delete_load_balancer_meta))

if not getattr(LoadBalancerRegion, "_catalyze_ssl_termination", False):
    LoadBalancerRegion._catalyze_ssl_termination = True
    for _prefix in ("v2", "v1.0"):
        _path = "/%s/<string:tenant_id>/loadbalancers/<int:lb_id>/ssltermination" % _prefix
        LoadBalancerRegion.app.route(_path, methods=["GET"])(show_ssl_termination)
        LoadBalancerRegion.app.route(_path, methods=["PUT"])(_after_change(update_ssl_termination))
        LoadBalancerRegion.app.route(_path, methods=["DELETE"])(_after_change(delete_ssl_termination))
        _path = "/%s/<string:tenant_id>/loadbalancers/<int:lb_id>/nodes/<int:node_id>/metadata" % _prefix
        LoadBalancerRegion.app.route(_path, methods=["POST"])(_after_change(add_node_metadata))
        LoadBalancerRegion.app.route(_path, methods=["GET"])(list_node_metadata)

if not getattr(LoadBalancerControlRegion, "_catalyze_holds", False):
    LoadBalancerControlRegion._catalyze_holds = True
    _path = "/v2/<string:tenant_id>/loadbalancers/<int:lb_id>/catalyze-hold"
    LoadBalancerControlRegion.app.route(_path, methods=["PUT"])(set_hold)
    LoadBalancerControlRegion.app.route(_path, methods=["DELETE"])(release_hold)


@implementer(IAPIMock, IPlugin)
class LoadBalancerExtension(object):
    """No catalog entry of its own: this object only makes twisted.plugin load the module."""

    def catalog_entries(self, tenant_id):
        return []

    def resource_for_region(self, region, uri_prefix, session_store):
        raise NotImplementedError("catalyze_load_balancers has no endpoint of its own")


load_balancer_extension = LoadBalancerExtension()
