from django.apps import AppConfig

from articles.signals import public_content_changed


def comment_deleted(sender, instance, **kwargs):
    if instance.is_public:
        public_content_changed.send(sender=sender)


class CommentsConfig(AppConfig):
    name = "comments"
    # What the staff groups may do here (articles.groups): Editors moderate.
    staff_permissions = {"Editors": ["comment", "like", "view_commentmail"]}

    def ready(self):
        from django.db.models.signals import post_delete, pre_save
        from django_comments.signals import comment_was_posted
        from django_comments_xtd import views as xtd_views
        from django_comments_xtd.models import TmpXtdComment, publish_or_unpublish_on_pre_save

        from articles.signals import demo_loaded
        from ops.signals import worker_started

        from .demo import on_demo_loaded
        from .tasks import worker_started as comment_mail_at_worker_start
        from .views import on_comment_posted

        # xtd saves a posted comment only in its own receiver, which mails the whole comment as
        # a signed pickle in a never-expiring GET link. Ours saves it and mails opaque tokens.
        comment_was_posted.disconnect(xtd_views.on_comment_was_posted, sender=TmpXtdComment)
        comment_was_posted.connect(on_comment_posted, sender=TmpXtdComment)
        # xtd copies a parent's visibility onto all replies (approving a held parent would
        # publish held replies); Comment.set_status recomputes visibility instead.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender="comments.Comment")

        demo_loaded.connect(on_demo_loaded, dispatch_uid="comments-demo")
        # A deleted visible comment (the admin's bulk delete too) leaves cached pages stale.
        post_delete.connect(
            comment_deleted, sender="comments.Comment", dispatch_uid="comments-deleted"
        )
        # Comment mail owed but without a task (a killed worker, a lost queue) goes out again.
        worker_started.connect(comment_mail_at_worker_start, dispatch_uid="comments-mail")
