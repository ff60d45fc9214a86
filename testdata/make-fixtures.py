#!/usr/bin/env python3
"""Builds the container fixtures (gzip, zip, e-mail, mbox, Maildir) and the broken inputs from
the hand-written XML reports in reports/. Deterministic: run it again and nothing changes.
Usage: python3 testdata/make-fixtures.py   (from the repository root or from testdata/)"""
import base64, gzip, io, os, quopri, shutil, zipfile
from pathlib import Path

here = Path(__file__).resolve().parent
reports, broken = here / 'reports', here / 'broken'
read = lambda name: (reports / name).read_bytes()

def gz(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode='wb', mtime=0, filename='') as f:
        f.write(data)
    return out.getvalue()

def zipped(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2025, 11, 6, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()

def b64(data):
    return base64.encodebytes(data).decode()

def headers(subject, message_id, boundary):
    return ('Return-Path: <noreply-dmarc-support@google.com>\r\n'
            'Received: from mail-sor-f69.google.com (mail-sor-f69.google.com [209.85.220.69])\r\n'
            '\tby mx.example.com with ESMTPS id abc123 for <dmarc@example.com>;\r\n'
            '\tThu, 06 Nov 2025 09:12:01 +0000\r\n'
            'Date: Thu, 06 Nov 2025 09:12:00 +0000\r\n'
            'From: noreply-dmarc-support@google.com\r\n'
            'To: dmarc@example.com\r\n'
            'Subject: ' + subject + '\r\n'
            'Message-ID: <' + message_id + '>\r\n'
            'MIME-Version: 1.0\r\n'
            'Content-Type: multipart/mixed; boundary="' + boundary + '"\r\n\r\n')

def part(boundary, content_type, body, encoding='base64', disposition=None):
    lines = ['--' + boundary, 'Content-Type: ' + content_type]
    if disposition:
        lines.append('Content-Disposition: ' + disposition)
    if encoding:
        lines.append('Content-Transfer-Encoding: ' + encoding)
    return '\r\n'.join(lines) + '\r\n\r\n' + body + '\r\n'

def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.replace('\r\n', '\n').replace('\n', '\r\n').encode())

google_zip_name = 'google.com!example.com!1762300800!1762387199.zip'

# --- containers of good reports -------------------------------------------------------------
write(reports / 'google.xml.gz', gz(read('google.xml')))
write(reports / 'nested.xml.gz.gz', gz(gz(read('yahoo.xml'))))
write(reports / google_zip_name, zipped([('google.com!example.com!1762300800!1762387199.xml', read('google.xml'))]))
write(reports / 'two-members.zip', zipped([('microsoft.xml', read('microsoft.xml')), ('__MACOSX/._microsoft.xml', b'\x00\x05\x16\x07junk'),
                                          ('reports/yahoo.xml.gz', gz(read('yahoo.xml')))]))

b = 'BOUNDARY-google-1'
write(reports / 'google-zip-base64.eml',
      headers('Report domain: example.com Submitter: google.com Report-ID: 10876543210987654321', 'google-1@google.com', b)
      + part(b, 'text/plain; charset="UTF-8"', 'This is an aggregate report from google.com.', encoding='7bit')
      + part(b, 'application/zip; name="' + google_zip_name + '"', b64(read(google_zip_name)),
             disposition='attachment; filename="' + google_zip_name + '"')
      + '--' + b + '--\r\n')

b = 'BOUNDARY-gmx-1'
write(reports / 'mislabelled-gzip.eml',
      headers('Report Domain: example.com Submitter: gmx.net Report-ID: <gmx-1>', 'gmx-1@gmx.example', b)
      + part(b, 'application/zip', b64(gz(read('gmx-dmarc2-namespace.xml'))),
             disposition='attachment; filename="gmx.net!example.com!1762387200!1762473600.xml.gz"')
      + part(b, 'application/octet-stream', b64(gz(read('microsoft.xml'))), disposition='attachment')
      + '--' + b + '--\r\n')

b = 'BOUNDARY-qp-1'
write(reports / 'xml-quoted-printable.eml',
      headers('Report Domain: example.com Submitter: yahoo.com', 'qp-1@yahoo.example', b)
      + part(b, 'text/xml; charset=UTF-8; name="yahoo.xml"', quopri.encodestring(read('windows-1252-declared.xml').replace(b'\n', b'\r\n')).decode(),
             encoding='quoted-printable', disposition='attachment; filename*=UTF-8\'\'yahoo%20report.xml')
      + '--' + b + '--\r\n')

outer, alt, inner = 'BOUNDARY-outer', 'BOUNDARY-alt', 'BOUNDARY-inner'
forwarded = ('From: postmaster@example.com\r\nTo: dmarc@example.com\r\nSubject: Fwd: a report\r\nMIME-Version: 1.0\r\n'
             'Content-Type: multipart/mixed; boundary="' + inner + '"\r\n\r\n'
             + part(inner, 'text/plain', 'see attached', encoding='7bit')
             + part(inner, 'application/gzip', b64(gz(read('rfc9990.xml'))), disposition='attachment; filename="rfc9990.xml.gz"')
             + '--' + inner + '--\r\n')
write(reports / 'nested-multipart.eml',
      headers('Several reports', 'nested-1@example.com', outer)
      + '--' + outer + '\r\nContent-Type: multipart/alternative; boundary="' + alt + '"\r\n\r\n'
      + part(alt, 'text/plain', 'Reports attached.', encoding='7bit')
      + part(alt, 'text/html', '<html><body><p>Reports attached.</p></body></html>', encoding='7bit')
      + '--' + alt + '--\r\n'
      + part(outer, 'application/gzip', b64(gz(read('uppercase-enums.xml'))), disposition='attachment; filename="upper.xml.gz"')
      + part(outer, 'application/zip', b64(zipped([('spf.xml', read('spf-aliases.xml'))])), disposition='attachment; filename="spf.zip"')
      + part(outer, 'message/rfc822', forwarded, encoding=None)
      + '--' + outer + '--\r\n')

def message(subject, number, attachment=None):
    b = 'BOUNDARY-mbox-%d' % number
    text = headers(subject, 'mbox-%d@example.com' % number, b) + part(b, 'text/plain', 'Report below.\r\n>From the receiver, with love.', encoding='7bit')
    if attachment:
        text += part(b, 'application/gzip', b64(attachment[1]), disposition='attachment; filename="' + attachment[0] + '"')
    return text + '--' + b + '--\r\n'

mbox = ''
for number, (subject, attachment) in enumerate([
        ('Report Domain: example.com Submitter: google.com', ('google.xml.gz', gz(read('google.xml')))),
        ('Re: your DMARC record', None),
        ('Report Domain: example.com Submitter: Yahoo', ('yahoo.xml.gz', gz(read('yahoo.xml'))))], 1):
    mbox += 'From MAILER-DAEMON Thu Nov  6 09:1%d:00 2025\n' % number + message(subject, number, attachment).replace('\r\n', '\n') + '\n'
(reports / 'rua.mbox').write_bytes(mbox.encode())

maildir = reports / 'maildir'
shutil.rmtree(maildir, ignore_errors=True)
for sub in ('cur', 'new', 'tmp'):
    (maildir / sub).mkdir(parents=True)
(maildir / 'dovecot-uidlist').write_bytes(b'3 V1762387200 N3\n')
(maildir / 'cur' / '1762387201.M1P1.mx:2,S').write_bytes(message('Report 1', 11, ('google.xml.gz', gz(read('google.xml')))).encode())
(maildir / 'new' / '1762387202.M2P1.mx').write_bytes(message('Report 2', 12, ('ms.xml.gz', gz(read('microsoft.xml')))).encode())
(maildir / 'cur' / '1762387204.M4P1.mx:2,S').write_bytes(message('Re: your DMARC record', 13).encode())
(maildir / 'tmp' / '1762387203.M3P1.mx').write_bytes(b'Subject: half delivered\r\n\r\n')

# --- broken inputs ----------------------------------------------------------------------------
full = gz(read('google.xml'))
write(broken / 'truncated.xml.gz', full[:len(full) // 2])
write(broken / 'unused.xml.gz', gz(b'unused'))
write(broken / 'empty.xml', b'')
write(broken / 'tls-report.json', b'{"organization-name":"Google Inc.","date-range":{"start-datetime":"2025-11-05T00:00:00Z"},"report-id":"x","policies":[]}')
nested = read('yahoo.xml')
for _ in range(12):
    nested = gz(nested)
write(broken / 'nested-too-deep.xml.gz', nested)
bomb_xml = b'<?xml version="1.0"?>\n<feedback>' + b'<x/>' * (50 << 20) + b'</feedback>'
write(broken / 'gzip-bomb.xml.gz', gzip.compress(bomb_xml, 9, mtime=0))
out = io.BytesIO()
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr(zipfile.ZipInfo('bomb.xml', date_time=(2025, 11, 6, 0, 0, 0)), bomb_xml, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
write(broken / 'zip-bomb.zip', out.getvalue())
damaged = bytearray(zipped([('report.xml', read('google.xml'))]))
for i in range(60, 120):
    damaged[i] ^= 0x5a
write(broken / 'damaged.zip', bytes(damaged))
b = 'BOUNDARY-none'
write(broken / 'no-report.eml', headers('Re: DMARC', 'none-1@example.com', b) + part(b, 'text/plain', 'No attachment, sorry.', encoding='7bit')
      + part(b, 'image/png', b64(b'\x89PNG\r\n\x1a\n0000'), disposition='attachment; filename="logo.png"') + '--' + b + '--\r\n')
# --- SMTP TLS reports (RFC 8460): containers of the hand-written JSON in tls/ --------------------
tls = here / 'tls'
tls_read = lambda name: (tls / name).read_bytes()
ms = tls_read('microsoft-no-timezone.json')
google_tls = 'google.com!example.com!1762387200!1762473599!001.json'
write(tls / 'microsoft-no-timezone.json.gz', gz(ms))

def tls_message(subject, b, attachment_type, body, filename, encoding='base64', domain='example.com'):
    return (headers(subject, b + '@example.com', b).replace('Content-Type: multipart/mixed;', 'TLS-Report-Domain: ' + domain + '\r\n'
            'TLS-Report-Submitter: google.com\r\nContent-Type: multipart/report; report-type="tlsrpt";')
            + part(b, 'text/plain', 'This is an aggregate TLS report from google.com', encoding='7bit')
            + part(b, attachment_type, body, encoding=encoding, disposition='attachment; filename="' + filename + '"')
            + '--' + b + '--\r\n')

write(tls / 'google-tlsrpt-gzip.eml', tls_message('Report Domain: example.com Submitter: google.com Report-ID: <2025.11.06T00.00.00Z+example.com@google.com>',
      'BOUNDARY-tls-1', 'application/tlsrpt+gzip', b64(gz(tls_read(google_tls))), google_tls + '.gz'))
# labelled gzip, but plain JSON inside (parsedmarc's MAGIC_JSON fix)
write(tls / 'mislabelled-tlsrpt.eml', tls_message('Report Domain: example.com Submitter: microsoft.com Report-ID: <133944884956529435+example.com>',
      'BOUNDARY-tls-2', 'application/tlsrpt+gzip', b64(ms), 'report.json.gz'))
# no policy-domain in the JSON, and an attachment name that does not give it: the TLS-Report-Domain header does
write(tls / 'no-domain-tlsrpt.eml', tls_message('Report Domain: example.org Submitter: mail.example.net',
      'BOUNDARY-tls-4', 'application/tlsrpt+json', b64(tls_read('mail.example.net!example.org!1762387200!1762473599.json')),
      'report.json', domain='Example.ORG'))
# the whole message is the report (mox accepts it)
write(tls / 'whole-message-tlsrpt.eml', 'From: tlsrpt@mail.example.net\r\nTo: tls@example.org\r\nSubject: Report Domain: example.org\r\n'
      'Date: Fri, 07 Nov 2025 03:00:00 +0000\r\nMessage-ID: <tls-3@example.net>\r\nMIME-Version: 1.0\r\n'
      'Content-Type: application/tlsrpt+json\r\n\r\n' + tls_read('all-result-types.json').decode())

write(broken / 'tls-not-well-formed.json', b'{"organization-name": "Cut Off", "date-range": {"start-datetime": "2025-11-06T00:00:00Z",\n  "end-datetime": ')
write(broken / 'tls-bad-count.json', b'{"organization-name":"Bad","report-id":"b-1","date-range":{"start-datetime":"2025-11-06T00:00:00Z",'
      b'"end-datetime":"2025-11-06T23:59:59Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com"},'
      b'"summary":{"total-successful-session-count":-5,"total-failure-session-count":0}}]}')
print('fixtures written')
