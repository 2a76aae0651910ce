"""The member list: where each member votes, when they signed up, whether they opted out.

In: the ``Country``, the number of members, and the random generator. Out: ``Members``
(arrays, one entry per member, in sign-up order: member ``M0000001`` signed up first)
and the table of members.csv, which adds the personal columns of a real list export
(e-mail, first name, ZIP code, phone).

Members are spread over the House seats with some seats busier than others; a few live
in DC, in a territory, abroad, or have no state at all. What is written is a little
messier than where they vote: 3% leave the district empty, a few write a district
their state does not have, a few write their state in lower case. Sign-ups run from
2017 to the export in July 2026, with a rush before each wave's sign-up deadline; some
members opt out later. Eight members sit exactly on a wave's edges: signed up at the
deadline (not eligible), or opted out at the opening (still eligible).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from endorse_analysis.synthetic.country import Country
from endorse_analysis.synthetic.names import ALL_FIRST_NAMES, FIRST_NAMES_ASCII, LAST_NAMES_ASCII
from endorse_analysis.synthetic.times import DAY, WAVE_CLOCK, WAVE_COUNT, utc_seconds
from endorse_analysis.synthetic.write import dictionary, eastern_columns

NEVER = np.int64(2**62)  # the opted_out_at of a member who did not opt out
UNKNOWN_DISTRICT = 999  # where a member votes when the district written is empty or wrong
FIRST_SIGNUP = "2017-01-20T12:00:00-05:00"
EXPORTED_AT = "2026-07-20T17:00:00-04:00"  # when the member list was exported
# What members outside the states write as their state; or nothing.
TERRITORIES = ("PR", "GU", "VI", "AS", "MP", "AE", "AP", "AA")


@dataclass(frozen=True)
class Members:
    """The member list, one entry per member in sign-up order."""

    count: int
    state: np.ndarray  # where the member votes: a state's position; -1 none
    district: np.ndarray  # where the member votes; UNKNOWN_DISTRICT if not known
    state_written: np.ndarray  # position in state_spellings(); -1 empty
    district_written: np.ndarray  # -1 empty
    signed_up_at: np.ndarray  # seconds since the epoch
    opted_out_at: np.ndarray  # seconds since the epoch; NEVER


def draw_members(rng: np.random.Generator, country: Country, count: int) -> Members:
    """``count`` members (at least 1,000)."""
    abroad = max(8, count // 5000)  # territories, overseas military, no state at all
    in_dc = max(4, count // 250)
    in_states = count - abroad - in_dc
    state, true_district = _draw_homes(rng, country, in_states, in_dc, abroad)
    district_written, district = _written_districts(rng, country, state, true_district)
    state_written = _written_states(rng, country, state, abroad)
    signed_up_at = _draw_signups(rng, count)
    opted_out_at = _draw_opt_outs(rng, signed_up_at)
    _place_on_wave_edges(rng, state, signed_up_at, opted_out_at)
    order = np.argsort(signed_up_at, kind="stable")
    return Members(
        count,
        state[order],
        district[order],
        state_written[order],
        district_written[order],
        signed_up_at[order],
        opted_out_at[order],
    )


def state_spellings(country: Country) -> list[str]:
    """What members write as their state: the codes, in lower case too, and territories."""
    return country.states + [s.lower() for s in country.states] + list(TERRITORIES)


def _draw_homes(
    rng: np.random.Generator, country: Country, in_states: int, in_dc: int, abroad: int
) -> tuple[np.ndarray, np.ndarray]:
    """(state, district) of every member: first those in a House seat, drawn with the
    seats' uneven weights, then DC, then those with no state (-1, -1)."""
    seat_state = np.repeat(np.arange(len(country.states)), country.house_seats)
    seat_district = np.concatenate(
        [[0] if s == 1 else np.arange(1, s + 1) for s in country.house_seats if s > 0]
    )
    weight = rng.gamma(20.0, 1 / 20.0, size=len(seat_state))
    seat = rng.choice(len(seat_state), in_states, p=weight / weight.sum())
    dc = country.states.index("DC")
    state = np.concatenate([seat_state[seat], np.full(in_dc, dc), np.full(abroad, -1)])
    district = np.concatenate([seat_district[seat], np.full(in_dc + abroad, -1)])
    return state, district


def _written_districts(
    rng: np.random.Generator, country: Country, state: np.ndarray, true_district: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(district written, district the member votes in). An empty or impossible district
    leaves the member in no district: they vote only in statewide races."""
    count = len(state)
    empty = (rng.random(count) < 0.03) | (true_district < 0)
    written = np.where(empty, -1, true_district)
    filled = np.flatnonzero(~empty)
    typo = filled[rng.choice(len(filled), max(3, count // 20000), replace=False)]
    written[typo] = country.house_seats[state[typo]] + rng.integers(1, 5, size=len(typo))
    known = ~empty
    known[typo] = False
    return written, np.where(known, true_district, UNKNOWN_DISTRICT)


def _written_states(
    rng: np.random.Generator, country: Country, state: np.ndarray, abroad: int
) -> np.ndarray:
    """The state written, as a position in state_spellings()."""
    written = state.copy()
    with_state = np.flatnonzero(state >= 0)
    lower = with_state[rng.choice(len(with_state), max(3, len(state) // 10000), replace=False)]
    written[lower] += len(country.states)
    territory = rng.integers(0, len(TERRITORIES) + 1, size=abroad)  # the last: empty
    written[len(state) - abroad :] = np.where(
        territory < len(TERRITORIES), 2 * len(country.states) + territory, -1
    )
    return written


def _draw_signups(rng: np.random.Generator, count: int) -> np.ndarray:
    """Sign-up instants: a long history, growth from mid-2024, then 2026 with a rush
    around each wave's sign-up deadline (mostly before it, some just after)."""
    first, exported = utc_seconds(FIRST_SIGNUP), utc_seconds(EXPORTED_AT)
    y2019, mid2024, y2026 = (
        utc_seconds("2019-01-01T00:00:00-05:00"),
        utc_seconds("2024-06-01T00:00:00-04:00"),
        utc_seconds("2026-01-01T00:00:00-05:00"),
    )
    # 15% the founding months, 24% any time before 2026, 26% the growth since mid-2024,
    # 13% any time in 2026, 22% the rush around a sign-up deadline
    era = np.searchsorted(np.cumsum([0.15, 0.24, 0.26, 0.13, 0.22]), rng.random(count))
    era = np.minimum(era, 4)
    u = rng.random(count)
    signed = np.empty(count, dtype=np.int64)
    m = era == 0
    signed[m] = first + np.minimum(rng.exponential(150 * DAY, m.sum()), y2019 - first - 1)
    m = era == 1
    signed[m] = first + u[m] * (y2026 - first)
    m = era == 2
    signed[m] = mid2024 + np.sqrt(u[m]) * (y2026 - mid2024)
    m = era == 3
    signed[m] = y2026 + u[m] * (exported - y2026)
    m = era == 4
    deadline = WAVE_CLOCK.signup_closes[rng.integers(0, WAVE_COUNT, m.sum())]
    late = rng.random(m.sum()) < 0.1
    after = deadline + rng.exponential(2 * DAY, m.sum())
    before = deadline - rng.exponential(2.5 * DAY, m.sum())
    signed[m] = np.where(late, after, before)
    return np.clip(signed, first, exported - 1)


def _draw_opt_outs(rng: np.random.Generator, signed_up_at: np.ndarray) -> np.ndarray:
    """7% opt out some time after signing up; NEVER for the rest, and for those whose
    opt-out would come after the export."""
    opted_out_at = np.full(len(signed_up_at), NEVER, dtype=np.int64)
    opted = rng.random(len(signed_up_at)) < 0.07
    delay = rng.exponential(400 * DAY, opted.sum()).astype(np.int64) + 60
    opted_out_at[opted] = signed_up_at[opted] + delay
    opted_out_at[opted_out_at >= utc_seconds(EXPORTED_AT)] = NEVER
    return opted_out_at


def _place_on_wave_edges(
    rng: np.random.Generator, state: np.ndarray, signed: np.ndarray, opted: np.ndarray
) -> None:
    """For each wave, one member who signed up exactly at its sign-up deadline (not
    eligible) and one who opted out exactly when it opens (still eligible)."""
    with_state = np.flatnonzero(state >= 0)
    chosen = with_state[rng.choice(len(with_state), 2 * WAVE_COUNT, replace=False)]
    for wave in range(WAVE_COUNT):
        at_deadline, at_opening = chosen[wave], chosen[WAVE_COUNT + wave]
        signed[at_deadline] = WAVE_CLOCK.signup_closes[wave]
        opted[at_deadline] = NEVER
        signed[at_opening] = min(signed[at_opening], WAVE_CLOCK.opens[wave] - 30 * DAY)
        opted[at_opening] = WAVE_CLOCK.opens[wave]


# member_id: 'M' and seven digits, counted from 1 in sign-up order. An e-mail address is
# first.last@example.com, with a number before the '@' for 60% of members.
MEMBERS_SELECT = """
    SELECT printf('M%07d', number) AS member_id,
           first_ascii || '.' || last_ascii || coalesce(CAST(email_number AS VARCHAR), '')
               || '@example.' || email_domain AS email,
           first_name, state, district,
           printf('%05d', zip) AS zip,
           printf('(%03d) 555-01%02d', phone_area, phone_line) AS phone,
           eastern(signed_up_at_local, signed_up_at_offset) AS signed_up_at,
           eastern(opted_out_at_local, opted_out_at_offset) AS opted_out_at
    FROM src"""


def members_table(rng: np.random.Generator, country: Country, members: Members) -> pa.Table:
    """The columns MEMBERS_SELECT turns into members.csv; draws the personal columns."""
    count = members.count
    # The draws of the personal columns, in this order.
    first_name = rng.integers(0, len(ALL_FIRST_NAMES), count)
    last_name = rng.integers(0, len(LAST_NAMES_ASCII), count)
    email_number = rng.integers(1, 1000, count)
    no_email_number = rng.random(count) < 0.4
    email_domain = rng.integers(0, 3, count)
    zip_code = rng.integers(1001, 99951, count)
    phone_area = rng.integers(201, 990, count)
    phone_line = rng.integers(0, 100, count)
    no_phone = rng.random(count) < 0.35
    no_zip = rng.random(count) < 0.03
    never = members.opted_out_at == NEVER
    state = members.state_written
    return pa.table(
        {
            "number": pa.array(np.arange(1, count + 1, dtype=np.int64)),
            "first_name": dictionary(first_name, ALL_FIRST_NAMES),
            "first_ascii": dictionary(first_name, FIRST_NAMES_ASCII),
            "last_ascii": dictionary(last_name, LAST_NAMES_ASCII),
            "email_number": pa.array(email_number, mask=no_email_number),
            "email_domain": dictionary(email_domain, ["com", "org", "net"]),
            "state": dictionary(np.maximum(state, 0), state_spellings(country), state < 0),
            "district": pa.array(members.district_written, mask=members.district_written < 0),
            "zip": pa.array(zip_code, mask=no_zip),
            "phone_area": pa.array(phone_area, mask=no_phone),
            "phone_line": pa.array(phone_line),
            **eastern_columns("signed_up_at", members.signed_up_at),
            **eastern_columns("opted_out_at", members.opted_out_at, missing=never),
        }
    )
