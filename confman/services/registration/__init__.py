"""Registration: seats and the waiting list, registering, decisions, a delegate's own changes, delegations and their
focal points, and the organizers' reports. Services flush; callers commit.

Seats. A *pending* or *approved* registration holds a seat: pending holds it while the organizers decide, so an
approval can never overbook. `Event.capacity` None means no limit. A delegation's quota counts its members'
seats the same way.

Arrival order is the registration id. Every change that takes or frees seats first locks the event's row
(SELECT ... FOR UPDATE on PostgreSQL), and ids are allocated while the lock is held, so they follow the order in
which registrations got their seat or their place on the waiting list. When a seat frees, the waiting list is
promoted in that order (skipping those whose delegation is at its quota).
"""


from confman.services.registration import delegations, reports
from confman.services.registration.registering import (
    DECISIONS,
    Details,
    cancel,
    decide,
    delegation_for,
    find_registration,
    regenerate_calendar_token,
    register,
    registration_of,
    revoke_calendar_token,
    set_sessions,
    update_details,
)
from confman.services.registration.seats import (
    SEAT_HOLDING,
    AlreadyRegistered,
    DecisionNotAllowed,
    DelegationFull,
    EventFull,
    RegistrationNotOpen,
    delegation_seats_taken,
    fill_free_seats,
    free_seats,
    is_open,
    lock_event,
    seats_taken,
    waitlist_position,
    window_state,
)
