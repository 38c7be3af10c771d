from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = "Placements"

    def ready(self) -> None:
        from audits.threshold import register_placement_counter
        from outbox.services import register_on_sent
        from placements.exports import register_placements_exports
        from placements.forms import placement_late_start_check
        from placements.records_about_pupils import register_placements_record_types
        from placements.selectors import (
            PLACEMENT_DEPARTURE_APPROVAL,
            PLACEMENT_DEPARTURE_SUBJECTS,
            PLACEMENT_EXTENSION_SUBJECTS,
            PLACEMENT_SUBJECTS,
            placement_approval_facts,
            placement_departure_facts,
            placement_extension_approval_facts,
        )
        from placements.services import (
            PLACEMENT_APPROVAL,
            PLACEMENT_EXTENSION_APPROVAL,
            la_notification_on_sent,
            placement_departure_on_approval_decided,
            placement_extension_on_approval_decided,
            placement_on_approval_decided,
        )
        from placements.threshold import placement_counts_at
        from pupils.approvals import register_approval_kind

        register_approval_kind(
            PLACEMENT_APPROVAL,
            label="Placement",
            facts=placement_approval_facts,
            on_decided=placement_on_approval_decided,
            subject_queryset=PLACEMENT_SUBJECTS,
            # Approving once the first day has passed needs a new first day or a reason.
            decision_check=placement_late_start_check,
        )
        # A later last day for an approved placement: more school days and more cost.
        register_approval_kind(
            PLACEMENT_EXTENSION_APPROVAL,
            label="Placement extension",
            facts=placement_extension_approval_facts,
            on_decided=placement_extension_on_approval_decided,
            subject_queryset=PLACEMENT_EXTENSION_SUBJECTS,
        )
        # Another kind of placement than the head approved on the referral (internal or off-site).
        register_approval_kind(
            PLACEMENT_DEPARTURE_APPROVAL,
            label="Placement differs from the referral",
            facts=placement_departure_facts,
            on_decided=placement_departure_on_approval_decided,
            subject_queryset=PLACEMENT_DEPARTURE_SUBJECTS,
        )
        # The provider page warns when our own full-time pupils reach the registration threshold.
        register_placement_counter(placement_counts_at)
        register_placements_record_types()
        register_placements_exports()
        # The LA notification's sent_at is filled when the outbox sends the letter.
        register_on_sent(la_notification_on_sent)
