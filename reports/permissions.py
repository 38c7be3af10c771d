"""Who may see the school's reports.

- The governors' report holds no pupil-identifiable detail: governors, the head and the SENDCo.
  The school's leaders (head, SENDCo, a trust-wide lead) see it in full, with real numbers for
  small groups; governors, and the PDF meant for publication, see small groups suppressed.
- The census export lists pupils by UPN and name: the office (who submits the census), the head
  and the SENDCo.
"""

import rules

from apcase.permissions import is_governor, is_leader, is_office

rules.add_perm("reviews.view_governors_report", is_leader | is_governor)
rules.add_perm("reviews.view_report_in_full", is_leader)
rules.add_perm("reviews.export_census", is_leader | is_office)
