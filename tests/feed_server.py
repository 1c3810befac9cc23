"""A feed served on loopback by http.server in a thread, whose answer a test can change."""

import http.server
import threading

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Spine Society news</title><link>https://society.example/</link>
<description>News</description>
{items}
</channel></rss>"""

ITEM = """<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>
<pubDate>{date}</pubDate><description>&lt;img src="https://tracker.example/p.gif"&gt;Body</description></item>"""


def rss(*entries):
    """entries: (title, link, RFC 822 date)."""
    return RSS.format(
        items="".join(ITEM.format(title=t, link=link, guid=link, date=d) for t, link, d in entries)
    ).encode()


class FeedServer:
    def __init__(self):
        self.status = 200
        self.body = rss()
        self.requests = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests += 1
                self.send_response(server.status)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/feed.xml"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
