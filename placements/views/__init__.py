"""Pages of the placements app: placements, the parent notice, attendance and placement records.

Each view is thin: access helper, form, service, redirect.
"""
