"""Legacy XML: the documents of Twilio's references, the client against the emulator's ``.xml`` and
2008-08-01 answers, and a hardened parser (any input parses or raises MalformedResponseError)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rec_tui.api import MalformedResponseError, NotFoundError, RecordingFilter, RecordingsClient, custom_endpoint
from rec_tui.api.models import Recording
from rec_tui.api.xmlformat import page_from_xml, recording_from_xml, rest_exception
from rec_tui.emulator import Emulator, EmulatorConfig, ManualClock

from .conftest import Answer

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
ACCOUNT = "AC309475e5fede1b49e100272a8640f438"

# The two documents of the 2008-08-01 reference (docs/003_0adc5d69d5210242.txt), as printed there.
LEGACY_RECORDING = b"""<TwilioResponse>
	<Recording>
	<Sid>RE41331862605f3d662488fdafda2e175f</Sid>
	<AccountSid>AC309475e5fede1b49e100272a8640f438</AccountSid>
	<CallSid>CAcd420fcb3c4b86e360ea0cc27ebc8698</CallSid>
	<Duration>15</Duration>
	<DateCreated>Tue, 01 Apr 2008 01:07:15 -0400</DateCreated>
	<DateUpdated>Tue, 01 Apr 2008 01:07:15 -0400</DateUpdated>
	</Recording>
</TwilioResponse>"""
LEGACY_LIST = b"""<TwilioResponse>
	<Recordings page="0" numpages="1" pagesize="50" total="16" start="0" end="15">
		<Recording>
			<Sid>RE41331862605f3d662488fdafda2e175f</Sid>
			<AccountSid>AC309475e5fede1b49e100272a8640f438</AccountSid>
			<CallSid>CAcd420fcb3c4b86e360ea0cc27ebc8698</CallSid>
			<Duration>123</Duration>
			<DateCreated>Tue, 01 Apr 2008 01:07:15 -0400</DateCreated>
			<DateUpdated>Tue, 01 Apr 2008 01:07:15 -0400</DateUpdated>
		</Recording>
		<Recording>
			<Sid>RE50358f2565ad3c542e004161c3aecfd2</Sid>
			<AccountSid>AC309475e5fede1b49e100272a8640f438</AccountSid>
			<CallSid>CAcd420fcb3c4b86e360ea0cc27ebc8698</CallSid>
			<Duration>45</Duration>
			<DateCreated>Tue, 01 Apr 2008 01:07:10 -0400</DateCreated>
			<DateUpdated>Tue, 01 Apr 2008 01:07:10 -0400</DateUpdated>
		</Recording>
	</Recordings>
</TwilioResponse>"""
# 2010-04-01's XML: CamelCase elements, empty ones for null, nested objects, paging URIs.
LIST_2010 = b"""<?xml version="1.0" encoding="UTF-8"?>
<TwilioResponse><Recordings page="1" pagesize="2" start="2" end="2"
  uri="/2010-04-01/Accounts/AC309475e5fede1b49e100272a8640f438/Recordings.xml?PageSize=2&amp;Page=1"
  firstpageuri="/2010-04-01/Accounts/AC309475e5fede1b49e100272a8640f438/Recordings.xml?PageSize=2&amp;Page=0"
  previouspageuri="/2010-04-01/Accounts/AC309475e5fede1b49e100272a8640f438/Recordings.xml?Page=0&amp;PageToken=PBx"
  nextpageuri="">
  <Recording>
    <Sid>RE557ce644e5ab84fa21cc21112e22c485</Sid><AccountSid>AC309475e5fede1b49e100272a8640f438</AccountSid>
    <CallSid>CA8dfedb55c129dd4d6bd1f59af9d11080</CallSid><ConferenceSid/>
    <Status>completed</Status><Duration>6</Duration><Channels>2</Channels><Price>-0.00250</Price>
    <Source>StartCallRecordingAPI</Source><ErrorCode/>
    <SubresourceUris><AddOnResults>/a.json</AddOnResults><Transcriptions>/t.json</Transcriptions></SubresourceUris>
    <Uri>
      /2010-04-01/Accounts/AC309475e5fede1b49e100272a8640f438/Recordings/RE557ce644e5ab84fa21cc21112e22c485
    </Uri>
  </Recording>
</Recordings></TwilioResponse>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<TwilioResponse><Recording><Sid>&lol9;</Sid></Recording></TwilioResponse>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<TwilioResponse><Recording><Sid>&secret;</Sid></Recording></TwilioResponse>"""
DTD_ONLY = b"""<?xml version="1.0"?><!DOCTYPE TwilioResponse SYSTEM "http://example.com/evil.dtd">
<TwilioResponse><Recording><Sid>RE1</Sid></Recording></TwilioResponse>"""


# -- the documents of the references -----------------------------------------------------------


def test_the_2008_recording_document_reads_into_a_recording():
    rec = recording_from_xml(LEGACY_RECORDING)
    assert rec.sid == "RE41331862605f3d662488fdafda2e175f"
    assert rec.account_sid == ACCOUNT and rec.call_sid == "CAcd420fcb3c4b86e360ea0cc27ebc8698"
    assert rec.duration == 15
    assert rec.date_created == datetime(2008, 4, 1, 5, 7, 15, tzinfo=timezone.utc)  # -0400 read as such
    assert rec.status is None and rec.problems == () and rec.extra == {}


def test_the_2008_list_document_reads_into_a_page_with_its_totals():
    page = page_from_xml(Recording, LEGACY_LIST)
    assert [r.duration for r in page.items] == [123, 45]
    assert [r.sid for r in page.items] == ["RE41331862605f3d662488fdafda2e175f", "RE50358f2565ad3c542e004161c3aecfd2"]
    assert (page.page, page.page_size, page.start, page.end) == (0, 50, 0, 15)
    assert (page.total, page.num_pages) == (16, 1)
    assert not page.has_next and not page.has_previous


def test_the_2010_xml_form_reads_like_its_json():
    page = page_from_xml(Recording, LIST_2010)
    (rec,) = page.items
    assert rec.status == "completed" and rec.channels == 2 and rec.price is not None and rec.has_media
    assert rec.conference_sid is None and rec.error_code is None and rec.problems == ()
    assert rec.subresource_uris == {"add_on_results": "/a.json", "transcriptions": "/t.json"}
    assert rec.uri.endswith("/Recordings/RE557ce644e5ab84fa21cc21112e22c485")  # indented text, trimmed
    assert (page.page, page.page_size, page.start) == (1, 2, 2)
    assert page.has_previous and not page.has_next and page.total is None


def test_an_xml_error_body_reads_as_twilios_error():
    body = (b"<TwilioResponse><RestException><Status>400</Status><Message>No called number is specified"
            b"</Message><Code>21201</Code><MoreInfo>http://www.twilio.com/docs/errors/21201</MoreInfo>"
            b"</RestException></TwilioResponse>")
    assert rest_exception(body) == {"code": 21201, "message": "No called number is specified",
                                    "more_info": "http://www.twilio.com/docs/errors/21201"}
    assert rest_exception(b"<html>oops</html>") is None
    assert rest_exception(BILLION_LAUGHS) is None


# -- refused documents -------------------------------------------------------------------------


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, DTD_ONLY], ids=["billion-laughs", "xxe", "dtd"])
def test_entity_and_dtd_tricks_are_refused(document):
    with pytest.raises(MalformedResponseError, match="refused"):
        recording_from_xml(document)
    with pytest.raises(MalformedResponseError):
        page_from_xml(Recording, document)


@pytest.mark.parametrize("document", [
    b"", b"<TwilioResponse>", b"<TwilioResponse><Recording></TwilioResponse>", b'{"sid": "RE1"}',
    b"<Other><Recording/></Other>", b"<TwilioResponse/>", b"<TwilioResponse><Recording/><Recording/></TwilioResponse>",
    b"<TwilioResponse>" + b"<a>" * 200 + b"</a>" * 200 + b"</TwilioResponse>",
    b'<?xml version="1.0" encoding="klingon"?><TwilioResponse/>',
])
def test_malformed_or_unexpected_documents_raise_the_clients_error(document):
    with pytest.raises(MalformedResponseError):
        recording_from_xml(document)


def test_a_list_with_bad_paging_or_stray_elements_is_malformed():
    with pytest.raises(MalformedResponseError):
        page_from_xml(Recording, LEGACY_LIST.replace(b'total="16"', b'total="many"'))
    with pytest.raises(MalformedResponseError):
        page_from_xml(Recording, LEGACY_LIST.replace(b"<Recording>", b"<Call>", 1).replace(b"</Recording>", b"</Call>", 1))


# -- property: any input parses or raises the documented error ---------------------------------

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TAGS = st.sampled_from(["TwilioResponse", "Recordings", "Recording", "Sid", "Duration", "DateCreated", "Price",
                        "Channels", "SubresourceUris", "Status", "RestException", "Code", "x"])
ATTRIBUTES = st.dictionaries(st.sampled_from(["page", "numpages", "pagesize", "total", "start", "end", "uri",
                                              "nextpageuri", "previouspageuri", "firstpageuri"]),
                             st.text(alphabet="0123456789-/?&;x ", max_size=6), max_size=5)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@st.composite
def xml_trees(draw, depth: int = 0) -> str:
    """Well-formed-ish documents made of the tags a Twilio document uses, any shape."""
    tag = draw(TAGS)
    attributes = "".join(f' {k}="{_escape(v)}"' for k, v in draw(ATTRIBUTES).items())
    if depth >= 4 or draw(st.booleans()):
        return f"<{tag}{attributes}>{_escape(draw(TEXT))}</{tag}>"
    children = draw(st.lists(xml_trees(depth + 1), max_size=4))
    return f"<{tag}{attributes}>{''.join(children)}</{tag}>"


documents = (st.binary(max_size=300) | st.text(max_size=300).map(str.encode)
             | xml_trees().map(lambda tree: f"<TwilioResponse>{tree}</TwilioResponse>".encode())
             | st.builds(lambda a, b: (a + b).encode(), st.sampled_from(["<TwilioResponse>", "<?xml version='1.0'?>",
                                                                         "<!DOCTYPE x [<!ENTITY a 'b'>]>"]),
                         st.text(max_size=200)))


@SETTINGS
@given(documents)
def test_any_input_parses_or_raises_malformed_response_error(data):
    for parse in (recording_from_xml, lambda d: page_from_xml(Recording, d)):
        try:
            result = parse(data)
        except MalformedResponseError:
            continue
        items = result.items if hasattr(result, "items") else [result]
        assert all(isinstance(item, Recording) for item in items)
    body = rest_exception(data)  # error bodies: never raises
    assert body is None or isinstance(body, dict)


# -- the client against the emulator -----------------------------------------------------------


@pytest.fixture(scope="module")
def emu():
    with Emulator(EmulatorConfig(seed=5, recordings=120, clock=ManualClock(NOW))) as running:
        yield running


@pytest.fixture
async def client(emu):
    async with RecordingsClient(custom_endpoint(emu.base_url), emu.account_sid, emu.account_sid,
                                emu.auth_token) as c:
        yield c


async def all_pages(client, page):
    items = list(page.items)
    while page.has_next:
        page = await client.next_page(page)
        items += page.items
    return items


async def test_the_2010_xml_list_reads_as_the_json_list(client):
    json_page = await client.list_recordings(page_size=30)
    xml_page = await client.list_recordings_xml(page_size=30)
    assert xml_page.items == json_page.items  # every field of every recording
    assert all(r.problems == () for r in xml_page.items)
    assert xml_page.next_page_uri.split("?")[0].endswith("/Recordings.xml")
    xml_all = await all_pages(client, xml_page)
    json_all = await all_pages(client, json_page)
    assert [r.sid for r in xml_all] == [r.sid for r in json_all] and len(json_all) == 120


async def test_a_recording_reads_from_its_xml(client):
    page = await client.list_recordings(page_size=40)
    completed = next(r for r in page.items if r.status == "completed")
    assert await client.fetch_recording_xml(completed.sid) == completed
    with pytest.raises(NotFoundError, match="was not found"):  # the <RestException> message
        await client.fetch_recording_xml("RE" + "0" * 32)


async def test_the_2008_list_pages_by_number_and_says_how_many(client, emu):
    json_all = await all_pages(client, await client.list_recordings(page_size=50))
    first = await client.list_recordings_xml(page_size=25, legacy=True)
    assert (first.total, first.num_pages, first.page_size) == (120, 5, 25)
    assert first.next_page_uri.startswith(f"/2008-08-01/Accounts/{emu.account_sid}/Recordings?")
    items = await all_pages(client, first)
    assert [r.sid for r in items] == [r.sid for r in json_all]
    # Only the legacy reference's six fields.
    by_sid = {r.sid: r for r in json_all}
    for rec in items:
        expected = by_sid[rec.sid]
        assert (rec.call_sid, rec.duration, rec.date_created) == (expected.call_sid, expected.duration,
                                                                   expected.date_created)
        assert rec.status is None and rec.price is None and rec.problems == ()
    last = await client.fetch_page(Recording, first.next_page_uri.replace("Page=1", "Page=4"))
    assert last.page == 4 and last.has_previous and not last.has_next
    assert [r.sid for r in (await client.previous_page(last)).items] == [r.sid for r in json_all[75:100]]


async def test_the_2008_list_filters_by_call_and_date(client):
    json_all = await all_pages(client, await client.list_recordings(page_size=200))
    call_sid = json_all[5].call_sid
    by_call = await client.list_recordings_xml(RecordingFilter(call_sid=call_sid), legacy=True)
    assert [r.sid for r in by_call.items] == [r.sid for r in json_all if r.call_sid == call_sid]
    day = date(2026, 11, 10)
    before = await client.list_recordings_xml(RecordingFilter(created_before=day), page_size=200, legacy=True)
    expected = [r.sid for r in json_all if r.date_created < datetime(2026, 11, 10, tzinfo=timezone.utc)]
    assert [r.sid for r in before.items] == expected and before.total == len(expected) > 0
    with pytest.raises(ValueError, match="call and date only"):
        await client.list_recordings_xml(RecordingFilter(include_soft_deleted=True), legacy=True)


async def test_a_2008_recording_reads_from_its_xml(client):
    rec = (await client.list_recordings(page_size=5)).items[3]
    legacy = await client.fetch_recording_xml(rec.sid, legacy=True)
    assert (legacy.sid, legacy.account_sid, legacy.call_sid, legacy.duration) == (
        rec.sid, rec.account_sid, rec.call_sid, rec.duration)


async def test_the_client_refuses_a_billion_laughs_from_the_service(scripted):
    scripted.add(Answer(200, BILLION_LAUGHS, {"Content-Type": "application/xml"}),
                 Answer(200, b"<TwilioResponse><Recordings page='0'><Recor", {"Content-Type": "application/xml"}))
    async with RecordingsClient(custom_endpoint(scripted.url), ACCOUNT, ACCOUNT, "token") as c:
        with pytest.raises(MalformedResponseError, match="EntitiesForbidden|DTDForbidden"):
            await c.list_recordings_xml()
        with pytest.raises(MalformedResponseError, match="not well-formed"):
            await c.list_recordings_xml()
    assert scripted.requests[0]["headers"]["Accept"] == "application/xml"
    assert scripted.requests[0]["path"].startswith(f"/2010-04-01/Accounts/{ACCOUNT}/Recordings.xml?")
