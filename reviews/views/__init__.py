"""Pages of the reviews app: review meetings and requests for a review, targets and progress, and
the return to class. Each view is thin: access helper, form, service, redirect."""
