from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from images.views import markdown_upload
from markup.views import markdown_preview
from readers import views as readers_views
from signin.forms import StaffAuthenticationForm

admin.site.site_header = "The Back Story: staff"
admin.site.site_title = "The Back Story staff"
# Asks for the authenticator's code of staff who set one up (signin/).
admin.site.login_form = StaffAuthenticationForm
admin.site.login_template = "signin/login.html"
handler500 = "articles.views.server_error"

urlpatterns = [
    path("", include("stats.urls")),  # first: it adds /admin/stats/ to the admin
    path("admin/two-factor/", include("signin.urls")),
    path("admin/", admin.site.urls),
    # markdownx's own endpoints accept anyone (and SVG); ours are staff-only and sanitised.
    path("markdownx/markdownify/", markdown_preview, name="markdownx_markdownify"),
    path("markdownx/upload/", markdown_upload, name="markdownx_upload"),
]

# Files on this machine's disk only: with MEDIA_STORAGE=s3 pages name the bucket's addresses.
if settings.SERVE_MEDIA and settings.MEDIA_STORAGE == "local":
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

urlpatterns += [
    # Reader accounts (readers/): allauth's pages under /accounts/, with no passwords. The
    # sign-in page is "email me a code" (and the providers staff configured); allauth's pages
    # for passwords, sign-up forms and address management answer with a redirect to it.
    path("accounts/login/", readers_views.sign_in, name="account_login"),
    path("accounts/login/code/", readers_views.sign_in, name="account_request_login_code"),
    re_path(
        r"^accounts/(signup|password|email|reauthenticate|3rdparty/connections)/",
        RedirectView.as_view(pattern_name="account_login"),
    ),
    path("accounts/", include("allauth.urls")),
    path("", include("readers.urls")),
    path("", include("subscriptions.urls")),
    path("", include("privacy.urls")),
    path("", include("comments.urls")),
    # The old WordPress blog's addresses below a post or a category, before the articles' own.
    path("", include("wordpress.urls")),
    path("", include("articles.urls")),
]
