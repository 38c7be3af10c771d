"""Settings for benchmark runs: the app's own, as production would run them.

django-zeal (N+1 detection) is a development tool that production installs do not have; it wraps
every query, so it is left out of what is measured. Everything else comes from apcase.settings
and the environment (bench/run.py sets the database, DEBUG off and axes off).
"""

from apcase.settings import *  # noqa: F403
from apcase.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "zeal"]
MIDDLEWARE = [middleware for middleware in MIDDLEWARE if not middleware.startswith("zeal.")]
ZEAL_ENABLED = False
