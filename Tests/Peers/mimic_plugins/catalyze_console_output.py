"""
catalyze's extension of mimic (Rackspace's API mock): Nova's console output.

mimic 2.2.0's Nova answers `POST /servers/{id}/action` `{"os-getConsoleOutput": {...}}` with 400
"There is no such action currently supported". This module adds the action to mimic's own Nova,
written to the OpenStack Compute API reference ("Show Console Output (os-getConsoleOutput Action)")
and nova's controller (nova/api/openstack/compute/console_output.py, its schema
nova/api/openstack/compute/schemas/console_output.py):

  POST .../v2/{tenant_id}/servers/{server_id}/action  {"os-getConsoleOutput": {"length"?: N}}
       -> 200 {"output": "..."}

  * `length` is optional: an integer >= -1, or a string of digits (optionally `-`), or null. Absent,
    null or -1: the whole console log (the reference: "-1 indicates unlimited"); 0: ""; N > 0: the
    last N lines (nova's compute manager `_tail_log`: the log split on "\\n", the last N joined).
    Anything else (below -1, not a number, another key) -> 400 badRequest, as nova's schema
    validation answers ("Invalid input for field/attribute ...").
  * The output as nova returns it: the log's bytes decoded as ASCII with replacement characters
    (each byte of a non-ASCII character becomes U+FFFD), and stripped of the
    control characters [\\x00-\\x08\\x0B-\\x1F] (nova's controller does this; it drops "\\r" too).
  * 404 itemNotFound for an unknown (or deleted) server.
  * 409 conflictingRequest "Instance {id} is not ready" for a server Nova has not put on a compute
    host yet (compute API `check_instance_host` raises InstanceNotReady, the controller answers
    HTTPConflict). mimic does not model the host assignment, so every server still in BUILD, and
    every server in ERROR (a failed build may never have reached a host), answers 409: at least as
    strict as Nova, which answers 200 for a BUILD server once it is scheduled.

What the console shows is, on a real cloud, what the server printed while it booted. mimic boots
nothing, so a new server's console is empty (a server still booting shows no keys yet), and a test
plays the booted server through a control call on the catalog entry `catalyzeConsoleControl` (type
`compute-control`, per region); real Nova has no such call:

  PUT .../v2/{tenant_id}/servers/{server_id}/console-output  {"output": "TEXT" | null}  -> 204
      From then on os-getConsoleOutput of that server answers TEXT (as Nova would filter it); null
      empties the console again. 404 for an unknown server, 400 for a body without "output".
  GET .../v2/{tenant_id}/servers/{server_id}/user-data  -> 200 {"user_data": BASE64 | null}
      The `user_data` the server was created with (what the booted server reads from its config
      drive), so the test can run exactly what the server would. 404 for an unknown server.
"""

from __future__ import absolute_import, division, unicode_literals

import json
import re
import uuid

from twisted.plugin import IPlugin
from zope.interface import implementer

from mimic.catalog import Endpoint, Entry
from mimic.imimic import IAPIMock
from mimic.model.nova_objects import RegionalServerCollection
from mimic.rest.mimicapp import MimicApp

REGIONS = ("DFW", "ORD", "IAD")
ACTION = "os-getConsoleOutput"
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0B-\x1F]")
_LENGTH_PATTERN = re.compile(r"^-?[0-9]+$")


def _error(request, status, kind, message):
    request.setResponseCode(status)
    request.setHeader(b"Content-Type", b"application/json")
    return json.dumps({kind: {"message": message, "code": status}}).encode("utf-8")


def _length(spec):
    """The `length` of an os-getConsoleOutput body as nova's schema accepts it: (lines or None, error)."""
    if not isinstance(spec, dict):
        return None, "Invalid input for field/attribute os-getConsoleOutput. Value: %r. %r is not of type 'object'" % (spec, spec)
    extra = sorted(set(spec) - {"length"})
    if extra:
        return None, ("Invalid input for field/attribute os-getConsoleOutput. Additional properties are not allowed (%s was unexpected)"
                      % ", ".join("'%s'" % key for key in extra))
    length = spec.get("length")
    if length is None:
        return None, None
    if isinstance(length, bool) or not isinstance(length, (int, type(""))):
        return None, "Invalid input for field/attribute length. Value: %r. %r is not of type 'integer', 'string', 'null'" % (length, length)
    if isinstance(length, type("")):
        if not _LENGTH_PATTERN.match(length):
            return None, "Invalid input for field/attribute length. Value: %s. '%s' does not match '^-?[0-9]+$'" % (length, length)
        length = int(length)
    if length < -1:
        return None, "Invalid input for field/attribute length. Value: %d. %d is less than the minimum of -1" % (length, length)
    return (None if length == -1 else length), None


def console_text(server, lines):
    """What Nova answers for `server`'s console: the last `lines` lines (None: all), filtered."""
    text = getattr(server, "catalyze_console_output", None) or ""
    if lines is not None:
        text = "" if lines == 0 else "\n".join(text.split("\n")[-lines:])
    text = text.encode("utf-8").decode("ascii", "replace")
    return _CONTROL_CHARACTERS.sub("", text)


_original_request_action = RegionalServerCollection.request_action


def _request_action(self, http_action_request, server_id, *args, **kwargs):
    """os-getConsoleOutput here; every other action as mimic's own Nova answers it."""
    body = http_action_request.content.read()
    http_action_request.content.seek(0)
    try:
        action = json.loads(body.decode("utf-8"))
    except ValueError:
        action = None
    if not isinstance(action, dict) or ACTION not in action:
        return _original_request_action(self, http_action_request, server_id, *args, **kwargs)
    server = self.server_by_id(server_id)
    if server is None or server.status == "DELETED":
        return _error(http_action_request, 404, "itemNotFound", "Instance %s could not be found." % server_id)
    lines, problem = _length(action[ACTION])
    if problem is not None:
        return _error(http_action_request, 400, "badRequest", problem)
    if server.status in ("BUILD", "ERROR"):
        return _error(http_action_request, 409, "conflictingRequest", "Instance %s is not ready." % server_id)
    http_action_request.setResponseCode(200)
    http_action_request.setHeader(b"Content-Type", b"application/json")
    return json.dumps({"output": console_text(server, lines)}).encode("utf-8")


if not getattr(RegionalServerCollection, "_catalyze_console_output", False):
    RegionalServerCollection.request_action = _request_action
    RegionalServerCollection._catalyze_console_output = True


@implementer(IAPIMock, IPlugin)
class ConsoleControlApi(object):
    """The test's hand on what a server's console shows (the plugin that makes this module load)."""

    def catalog_entries(self, tenant_id):
        return [Entry(tenant_id, "compute-control", "catalyzeConsoleControl",
                      [Endpoint(tenant_id, region, str(uuid.uuid4()), prefix="v2") for region in REGIONS])]

    def resource_for_region(self, region, uri_prefix, session_store):
        return ConsoleControlRegion(region, session_store).app.resource()


class ConsoleControlRegion(object):
    app = MimicApp()

    def __init__(self, region, session_store):
        self.region = region
        self.session_store = session_store

    @app.route("/v2/<string:tenant_id>/servers/<string:server_id>/console-output", methods=["PUT"])
    def set_console_output(self, request, tenant_id, server_id):
        from mimic.plugins.nova_plugin import nova
        collection = nova._get_session(self.session_store, tenant_id).collection_for_region(self.region)
        server = collection.server_by_id(server_id)
        if server is None or server.status == "DELETED":
            return _error(request, 404, "itemNotFound", "Instance %s could not be found." % server_id)
        try:
            body = json.loads(request.content.read().decode("utf-8"))
            output = body["output"]
        except (ValueError, KeyError, TypeError):
            return _error(request, 400, "badRequest", "expected {\"output\": TEXT or null}")
        if output is not None and not isinstance(output, type("")):
            return _error(request, 400, "badRequest", "output must be a string or null")
        server.catalyze_console_output = output
        request.setResponseCode(204)
        return b""

    @app.route("/v2/<string:tenant_id>/servers/<string:server_id>/user-data", methods=["GET"])
    def user_data(self, request, tenant_id, server_id):
        from mimic.plugins.nova_plugin import nova
        server = nova._get_session(self.session_store, tenant_id).collection_for_region(self.region).server_by_id(server_id)
        if server is None or server.status == "DELETED":
            return _error(request, 404, "itemNotFound", "Instance %s could not be found." % server_id)
        request.setHeader(b"Content-Type", b"application/json")
        creation = server.creation_request_json or {}
        return json.dumps({"user_data": (creation.get("server") or {}).get("user_data")}).encode("utf-8")


console_control = ConsoleControlApi()
