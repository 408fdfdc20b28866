"""
catalyze's extension of mimic (Rackspace's API mock): Cloud Monitoring agent metrics that make sense.

mimic 2.2.0 answers every metric data point (`POST __experiments/multiplot`, test-check) with an
independent random number: an `agent.memory` check may report `actual_used` larger than `total`,
which no monitoring agent ever sends and which catalyze rightly refuses (the host then has no
usable metrics and cannot bid). This plugin changes two things, and nothing else:

  * `agent.memory` data points are one consistent snapshot per (entity, check, timestamp): a fixed
    `total` per check (16-512 GiB), `actual_used` 5-90 % of it, `used` = `actual_used` + page cache,
    `free` = `total` - `used`, `actual_free` = `total` - `actual_used`, `ram` = `total` in MiB, and a
    4 GiB swap with `swap_used` + `swap_free` = `swap_total`. Deterministic: the same request gives
    the same points. Other check types keep mimic's synthetic values (`agent.cpu usage_average` is
    a percentage 0-100).
  * A control call seeds what a check reports, as a monitoring agent would push it. Real Cloud
    Monitoring has no such call (agents push their data); it sits on mimic's control catalog entry
    `cloudMonitoringControl` beside mimic's own test hooks (`.../alarms/test_response`):

      PUT    <control>/entities/{entity_id}/checks/{check_id}/metrics
             {"metrics": {"usage_average": 23.5}}       -> 204; every later data point of those
                                                          metrics is that value (other metrics of
                                                          the check keep the model above)
      GET    <control>/entities/{entity_id}/checks/{check_id}/metrics  -> 200 {"metrics": {...}}
      DELETE <control>/entities/{entity_id}/checks/{check_id}/metrics  -> 204, back to the model

    404 when the entity or check does not exist; 400 (mimic's `badRequest` shape) for a metric the
    check type does not have or a value that is not a number. Values are stored as given, even
    inconsistent ones (`actual_used` > `total`), so tests can show that a client refuses them.

Seeded values live in the tenant's monitoring store (per tenant and region, like everything mimic
keeps), so tests isolated by tenant do not see each other's metrics.
"""

from __future__ import absolute_import, division, unicode_literals

import json
import random

from twisted.plugin import IPlugin
from zope.interface import implementer

from mimic.imimic import IAPIMock
from mimic.model.maas_objects import Metric, MaasStore
from mimic.rest.maas_api import MaasController
from mimic.util.helper import json_from_request

GIB = 1024 ** 3
SWAP_TOTAL = 4 * GIB


def memory_snapshot(entity_id, check_id, timestamp):
    """One consistent `agent.memory` reading of a host at `timestamp` (milliseconds)."""
    host = random.Random("catalyze/%s/%s" % (entity_id, check_id))
    total = host.choice((16, 32, 64, 128, 256, 512)) * GIB
    point = random.Random("catalyze/%s/%s/%s" % (entity_id, check_id, timestamp))
    actual_used = int(total * point.uniform(0.05, 0.90))
    used = actual_used + int((total - actual_used) * point.uniform(0.0, 0.5))
    swap_used = int(SWAP_TOTAL * point.uniform(0.0, 0.1))
    return {
        "total": total, "actual_used": actual_used, "actual_free": total - actual_used, "used": used,
        "free": total - used, "ram": total // (1024 * 1024), "swap_total": SWAP_TOTAL, "swap_used": swap_used,
        "swap_free": SWAP_TOTAL - swap_used, "swap_page_in": point.randint(0, 4096),
        "swap_page_out": point.randint(0, 4096),
    }


_original_store_init = MaasStore.__init__


def _store_init(self, clock):
    _original_store_init(self, clock)
    for metric in self.check_types["agent.memory"].metrics:
        metric.catalyze_model = memory_snapshot


_original_get_value = Metric.get_value


def _get_value(self, **kwargs):
    """mimic's own lookup (a seeded override wins), else the consistent model where there is one."""
    model = getattr(self, "catalyze_model", None)
    if model is None or self._override_key(**kwargs) in self._overrides:
        return _original_get_value(self, **kwargs)
    return model(kwargs["entity_id"], kwargs["check_id"], kwargs["timestamp"])[self.name]


def _constant(value):
    return lambda _timestamp: value


def _seeded(store, entity_id, check_id):
    """The tenant's seeded values per (entity, check): {metric name: value}."""
    if not hasattr(store, "catalyze_seeded"):
        store.catalyze_seeded = {}
    return store.catalyze_seeded.setdefault((entity_id, check_id), {})


def _error(request, code, kind, message, details):
    request.setResponseCode(code)
    return json.dumps({"type": kind, "code": code, "message": message, "details": details,
                       "txnId": ".fake.mimic.transaction.id.c-1111111.ts-123444444.v-12344frf"})


def _find_check(controller, request, tenant_id, entity_id, check_id):
    cache = controller._entity_cache_for_tenant(tenant_id)
    entity = cache.entities.get(entity_id)
    check = entity.checks.get(check_id) if entity is not None else None
    if check is None:
        return cache, None, _error(request, 404, "notFoundError", "Object does not exist",
                                   'Object "Check" with key "%s:%s" does not exist' % (entity_id, check_id))
    return cache, check, None


def seed_metrics(self, request, tenant_id, entity_id, check_id):
    cache, check, failure = _find_check(self, request, tenant_id, entity_id, check_id)
    if failure is not None:
        return failure
    try:
        values = json_from_request(request)["metrics"]
        assert isinstance(values, dict)
    except Exception:
        return _error(request, 400, "badRequest", "Validation error", 'Expected {"metrics": {NAME: NUMBER}}')
    check_type = cache.maas_store.check_types.get(check.type)
    if check_type is None:
        return _error(request, 400, "badRequest", "Validation error", "Check type %s has no metrics" % check.type)
    metrics = []
    for name, value in sorted(values.items()):
        try:
            metric = check_type.get_metric_by_name(name)
        except NameError:
            return _error(request, 400, "badRequest", "Validation error",
                          "Check type %s has no metric %s" % (check.type, name))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _error(request, 400, "badRequest", "Validation error", "Metric %s must be a number" % name)
        metrics.append((metric, value))
    seeded = _seeded(cache.maas_store, entity_id, check_id)
    for metric, value in metrics:
        metric.set_override(entity_id=entity_id, check_id=check_id, override_fn=_constant(value))
        seeded[metric.name] = value
    request.setResponseCode(204)
    return b""


def show_metrics(self, request, tenant_id, entity_id, check_id):
    cache, check, failure = _find_check(self, request, tenant_id, entity_id, check_id)
    if failure is not None:
        return failure
    request.setResponseCode(200)
    request.setHeader(b"Content-Type", b"application/json")
    return json.dumps({"metrics": _seeded(cache.maas_store, entity_id, check_id)})


def clear_metrics(self, request, tenant_id, entity_id, check_id):
    cache, check, failure = _find_check(self, request, tenant_id, entity_id, check_id)
    if failure is not None:
        return failure
    check_type = cache.maas_store.check_types.get(check.type)
    for name in list(_seeded(cache.maas_store, entity_id, check_id)):
        check_type.get_metric_by_name(name)._overrides.pop((entity_id, check_id), None)
    cache.maas_store.catalyze_seeded.pop((entity_id, check_id), None)
    request.setResponseCode(204)
    return b""


if not getattr(MaasStore, "_catalyze_metrics", False):
    MaasStore.__init__ = _store_init
    Metric.get_value = _get_value
    MaasStore._catalyze_metrics = True
    _path = "/v1.0/<string:tenant_id>/entities/<string:entity_id>/checks/<string:check_id>/metrics"
    MaasController.app.route(_path, methods=["PUT"])(seed_metrics)
    MaasController.app.route(_path, methods=["GET"])(show_metrics)
    MaasController.app.route(_path, methods=["DELETE"])(clear_metrics)


@implementer(IAPIMock, IPlugin)
class MonitoringMetricsExtension(object):
    """No catalog entry of its own: this object only makes twisted.plugin load the module."""

    def catalog_entries(self, tenant_id):
        return []

    def resource_for_region(self, region, uri_prefix, session_store):
        raise NotImplementedError("catalyze_monitoring_metrics has no endpoint of its own")


monitoring_metrics = MonitoringMetricsExtension()
