"""A minimal OpenID Connect provider on loopback (http.server in a thread), for the browser test
of "Continue with …": discovery, an authorize page with one button, the token endpoint (an
RS256-signed ID token), userinfo and the JWKS. One client, one person; nothing else of OIDC.
"""

import html
import http.server
import json
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KID = "loopback-key"


class OIDCProvider:
    def __init__(self, client_id, client_secret, person):
        self.client_id, self.client_secret, self.person = client_id, client_secret, person
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes = {}  # code -> nonce
        self.tokens = set()
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                routes = {
                    "/.well-known/openid-configuration": provider.discovery,
                    "/jwks": provider.jwks,
                    "/authorize": provider.authorize_page,
                    "/approve": provider.approve,
                    "/userinfo": provider.userinfo,
                }
                route = routes.get(url.path)
                self.answer(*(route(query, self.headers) if route else (404, "text/plain", "")))

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path != "/token":
                    return self.answer(404, "text/plain", "")
                self.answer(*provider.token(form, self.headers))

            def answer(self, status, content_type, body, location=None):
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def discovery(self, query, headers):
        return 200, "application/json", json.dumps({
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
        })  # fmt: skip

    def jwks(self, query, headers):
        key = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return 200, "application/json", json.dumps({"keys": [{**key, "kid": KID, "use": "sig"}]})

    def authorize_page(self, query, headers):
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, "text/plain", "unknown client"
        approve = "/approve?" + urlencode(query)
        body = (
            '<!DOCTYPE html><html lang="en"><head><title>Loopback ID</title></head><body><main>'
            f"<h1>Loopback ID</h1><p>Share your name and address with the blog?</p>"
            f'<a href="{html.escape(approve)}">Sign in as {html.escape(self.person["name"])}</a>'
            "</main></body></html>"
        )
        return 200, "text/html; charset=utf-8", body

    def approve(self, query, headers):
        code = secrets.token_urlsafe(16)
        self.codes[code] = query.get("nonce")
        target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        return 302, "text/plain", "", target

    def token(self, form, headers):
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id, self.client_secret,
        ) or form.get("code") not in self.codes:  # fmt: skip
            return 400, "application/json", json.dumps({"error": "invalid_grant"})
        nonce = self.codes.pop(form["code"])
        access = secrets.token_urlsafe(16)
        self.tokens.add(access)
        now = int(time.time())
        claims = {
            "iss": self.url, "aud": self.client_id, "sub": self.person["sub"], "iat": now,
            "exp": now + 300, "email": self.person["email"], "email_verified": True,
            "name": self.person["name"],
            **({"nonce": nonce} if nonce else {}),
        }  # fmt: skip
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KID})
        return 200, "application/json", json.dumps({
            "access_token": access, "token_type": "Bearer", "expires_in": 300,
            "id_token": id_token,
        })  # fmt: skip

    def userinfo(self, query, headers):
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.tokens:
            return 401, "application/json", "{}"
        person = {k: self.person[k] for k in ("sub", "email", "name")}
        return 200, "application/json", json.dumps({**person, "email_verified": True})

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
