"""Requests straight through Django's WSGI handler, as gunicorn calls it, for the benchmarks.

(The test client records every template context it renders, which costs more than the rendering
being measured.) Import after django.setup().
"""


class WsgiClient:
    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler
        from django.test.client import RequestFactory

        self.handler = WSGIHandler()
        self.factory = RequestFactory()

    def get(self, path):
        path, _, query = path.partition("?")
        environ = self.factory._base_environ(
            PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET"
        )
        status = []
        body = b"".join(self.handler(environ, lambda s, h, *a: status.append(s)))
        return type("Response", (), {"status_code": int(status[0][:3]), "content": body})
