"""WSGI entry point for production servers: ``gunicorn ontrack.wsgi:application`` (ADR 0057)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontrack.settings")
application = get_wsgi_application()

# A server process answers many requests: it loads the statute catalog (about 0.12 s) and
# compiles the charge classifier over it (about 0.08 s) now, as it starts, instead of in the
# first case page each worker serves (measured by benchmarks/web.py, ADR 0057). Commands
# keep loading them lazily, only when they need them.
from ontrack.offenses.classify import default_classifier  # noqa: E402 - after django.setup()

default_classifier()  # builds the catalog (offenses.lookup.catalog) on the way
