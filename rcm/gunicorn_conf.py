"""gunicorn's settings (`gunicorn --config python:rcm.gunicorn_conf`): an access log without PHI.

Searches are GET requests, so their query strings hold names, dates of birth and member ids, and
the Referer holds the previous page's: the access log records the path only, never either.
"""

accesslog = "-"
# %(U)s is the path without its query string; %(r)s (the request line), %(q)s (the query) and
# %(f)s (the referer) are left out on purpose.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
