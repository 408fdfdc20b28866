"""
Runs mimic (`twistd ARGS`, e.g. `-n --pidfile= mimic -l tcp:0:interface=127.0.0.1`) with catalyze's
extension from this checkout's Tests/Peers/mimic_plugins/, without changing the venv.

mimic finds its plugins as the modules of its `mimic.plugins` package (twisted.plugin). This
launcher points that package at a private folder, made for this run, that links

  * every plugin module of the installed mimic, except its read-only Cinder and Neutron stubs
    (`cinder_plugin`, `neutron_plugin`: catalyze_block_storage and catalyze_networking replace them,
    answering every call the stubs did, so the catalog has no duplicates), and except any
    `catalyze_*` module linked there by an older set-up;
  * every `catalyze_*.py` of this checkout.

So two checkouts that share one venv each run their own extension, and twisted's plugin cache
(`dropin.cache`) is written into the private folder, never into the venv. The folder is removed
when the reactor shuts down (twistd ends a run stopped by a signal by re-raising that signal, so
`atexit` would not run).
"""

from __future__ import absolute_import, division, unicode_literals

import os
import shutil
import sys
import tempfile

REPLACED_STUBS = ("cinder_plugin.py", "neutron_plugin.py")


def private_plugin_folder():
    import mimic.plugins

    installed = os.path.dirname(os.path.abspath(mimic.plugins.__file__))
    ours = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mimic_plugins")
    folder = tempfile.mkdtemp(prefix="catalyze-mimic-plugins.")
    for name in sorted(os.listdir(installed)):
        if (name.endswith(".py") and name != "__init__.py" and name not in REPLACED_STUBS
                and not name.startswith("catalyze_")):
            os.symlink(os.path.join(installed, name), os.path.join(folder, name))
    for name in sorted(os.listdir(ours)):
        if name.startswith("catalyze_") and name.endswith(".py"):
            os.symlink(os.path.join(ours, name), os.path.join(folder, name))
    mimic.plugins.__path__[:] = [folder]
    return folder


def main():
    folder = private_plugin_folder()
    from twisted.internet import reactor  # the default reactor, the one twistd runs
    from twisted.scripts.twistd import run

    reactor.addSystemEventTrigger("after", "shutdown", shutil.rmtree, folder, True)

    sys.argv = ["twistd"] + sys.argv[1:]
    run()


if __name__ == "__main__":
    main()
