from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews and reintegration"

    def ready(self) -> None:
        from placements.hooks import (
            register_end_check,
            register_placement_section,
            register_schedule_listener,
            register_serious_incident_listener,
        )
        from reviews.attention import register_may_end_attention
        from reviews.records import register_reviews_record_types
        from reviews.sections import reviews_section
        from reviews.selectors import reintegration_steps_missing
        from reviews.services import review_for_incident, review_schedule_sync
        from reviews.term_dates import connect_term_dates_listener

        # A placement's reviews follow its dates; a serious incident adds a placement review
        # (docs/domain-rules.md#serious-incident).
        register_schedule_listener(review_schedule_sync)
        register_serious_incident_listener(review_for_incident)
        register_placement_section(reviews_section)
        # Back to class only with an agreed reintegration plan and a final report, or the head's reason.
        register_end_check(reintegration_steps_missing)
        register_reviews_record_types()
        register_may_end_attention()
        connect_term_dates_listener()
