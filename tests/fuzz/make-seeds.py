#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets into tests/fuzz/corpus/<target>/seed-*.

Run once when a target's input format changes (python3, openssl and ssh-keygen; nothing else).
The seeds are committed; so are the inputs that once crashed a target (crash-*), which this
script leaves alone.  Keys made here are throwaway test keys.
"""
import glob
import json
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PEM_DATA = os.path.join(HERE, '..', 'unit', 'data', 'pem')


def put(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data)


# --- msgpack, as cty writes it ----------------------------------------------------------

UNKNOWN = object()


def mp(v):
    if v is None:
        return b'\xc0'
    if v is UNKNOWN:
        return b'\xd4\x00\x00'
    if v is True or v is False:
        return b'\xc3' if v else b'\xc2'
    if isinstance(v, int):
        if 0 <= v < 128:
            return bytes([v])
        return b'\xd3' + struct.pack('>q', v)
    if isinstance(v, float):
        return b'\xcb' + struct.pack('>d', v)
    if isinstance(v, bytes):
        return b'\xc4' + bytes([len(v)]) + v
    if isinstance(v, str):
        b = v.encode()
        return (bytes([0xa0 | len(b)]) if len(b) < 32 else b'\xd9' + bytes([len(b)])) + b
    if isinstance(v, list):
        return bytes([0x90 | len(v)]) + b''.join(mp(x) for x in v)
    if isinstance(v, dict):
        return bytes([0x80 | len(v)]) + b''.join(mp(k) + mp(x) for k, x in sorted(v.items()))
    raise TypeError(v)


# --- protobuf, by hand ----------------------------------------------------------------

def varint(n):
    out = b''
    while True:
        b = n & 0x7f
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out


def field(num, value):
    if isinstance(value, int):
        return varint(num << 3) + varint(value)
    if isinstance(value, str):
        value = value.encode()
    return varint(num << 3 | 2) + varint(len(value)) + value


def dyn(v):
    return field(1, mp(v))


def msg(*fields):
    return b''.join(fields)


def main():
    # msgpack and JSON values along a type: "<type json>\0<value>".
    types = {
        'string': ('"string"', 'hello', '"hello"'),
        'number': ('"number"', 42, '42'),
        'float': ('"number"', 1.5, '1.5'),
        'bignum': ('"number"', '123456789012345678901234567890', '123456789012345678901234567890'),
        'bool': ('"bool"', True, 'true'),
        'list': ('["list","string"]', ['a', 'b'], '["a","b"]'),
        'set': ('["set","number"]', [1, 2], '[1,2]'),
        'map': ('["map","bool"]', {'x': True, 'y': False}, '{"x":true,"y":false}'),
        'tuple': ('["tuple",["string","number"]]', ['a', 1], '["a",1]'),
        'object': ('["object",{"a":"string","b":["list","number"],"c":["map","string"]}]',
                   {'a': 'x', 'b': [1, 2], 'c': None}, '{"a":"x","b":[1,2],"c":null}'),
        'dynamic': ('"dynamic"', [b'"string"', 'hi'], '{"value":"hi","type":"string"}'),
        'unknown': ('["object",{"a":"string","b":"number"}]', {'a': UNKNOWN, 'b': None},
                    '{"a":"x"}'),
        'nested': ('["list",["list",["map",["set","string"]]]]', [[{'k': ['v']}]],
                   '[[{"k":["v"]}]]'),
    }
    for name, (t, v, j) in types.items():
        put('fuzz_msgpack', name, t.encode() + b'\0' + mp(v))
        put('fuzz_json', name, t.encode() + b'\0' + j.encode())

    # tfplugin6 requests against provider random: selector byte (tf_rpc_methods' order) + bytes.
    M = {n: i for i, n in enumerate([
        'GetMetadata', 'GetProviderSchema', 'GetResourceIdentitySchemas', 'GetFunctions',
        'ValidateProviderConfig', 'ConfigureProvider', 'ValidateResourceConfig',
        'ValidateDataResourceConfig', 'UpgradeResourceState', 'ReadResource',
        'PlanResourceChange', 'ApplyResourceChange', 'ImportResourceState', 'ReadDataSource',
        'StopProvider'])}
    rid_config = {'byte_length': 8, 'keepers': {'k': 'v'}, 'prefix': None, 'id': None,
                  'b64_url': None, 'b64_std': None, 'hex': None, 'dec': None}
    rid_planned = dict(rid_config, id=UNKNOWN, b64_url=UNKNOWN, b64_std=UNKNOWN, hex=UNKNOWN,
                       dec=UNKNOWN)
    rid_state = dict(rid_config, id='AAECAwQFBgc', b64_url='AAECAwQFBgc', b64_std='AAECAwQFBgc=',
                     hex='0001020304050607', dec='283686952306183')
    rpcs = {
        'metadata': ('GetMetadata', b''),
        'schema': ('GetProviderSchema', b''),
        'validate-provider': ('ValidateProviderConfig', field(1, dyn({}))),
        'configure': ('ConfigureProvider', msg(field(1, '1.9.0'), field(2, dyn({})))),
        'validate-resource': ('ValidateResourceConfig',
                              msg(field(1, 'random_id'), field(2, dyn(rid_config)))),
        'upgrade': ('UpgradeResourceState', msg(field(1, 'random_id'), field(2, 0), field(3, field(1,
                    b'{"id":"AAECAwQFBgc","byte_length":8,"b64_url":"AAECAwQFBgc","keepers":{"k":"v"}}')))),
        'read': ('ReadResource', msg(field(1, 'random_id'), field(2, dyn(rid_state)))),
        'plan-create': ('PlanResourceChange', msg(field(1, 'random_id'), field(2, dyn(None)),
                        field(3, dyn(rid_config)), field(4, dyn(rid_config)))),
        'plan-update': ('PlanResourceChange', msg(field(1, 'random_id'), field(2, dyn(rid_state)),
                        field(3, dyn(dict(rid_state, keepers={'k': 'w'}))),
                        field(4, dyn(dict(rid_config, keepers={'k': 'w'}))))),
        'apply-create': ('ApplyResourceChange', msg(field(1, 'random_id'), field(2, dyn(None)),
                         field(3, dyn(rid_planned)), field(4, dyn(rid_config)))),
        'apply-destroy': ('ApplyResourceChange', msg(field(1, 'random_id'), field(2, dyn(rid_state)),
                          field(3, dyn(None)), field(4, dyn(None)))),
        'import': ('ImportResourceState', msg(field(1, 'random_id'), field(2, 'AAECAwQFBgc'))),
        'data': ('ReadDataSource', msg(field(1, 'random_id'), field(2, dyn({})))),
        'stop': ('StopProvider', b''),
    }
    # A plan and an apply of every resource of random, from its schema.
    samples = {'number': 8, 'string': 'x', 'bool': True}
    for path in sorted(glob.glob(os.path.join(HERE, '..', '..', 'schema', 'random', 'resources',
                                              '*.json'))):
        with open(path) as f:
            schema = json.load(f)
        attrs = schema['attributes']
        config = {k: ((samples[a['type']] if isinstance(a['type'], str) else ['a', 'b', 'c'])
                      if a.get('required') else None)
                  for k, a in attrs.items()}
        planned = {k: (config[k] if config[k] is not None else a['default'] if 'default' in a
                       else UNKNOWN if a.get('computed') else None)
                   for k, a in attrs.items()}
        for k in ('number', 'numeric'):  # random_string/password: plan settles both
            if planned.get(k) is UNKNOWN:
                planned[k] = True
        tn = schema['name']
        rpcs['plan-' + tn] = ('PlanResourceChange', msg(field(1, tn), field(2, dyn(None)),
                              field(3, dyn(config)), field(4, dyn(config))))
        rpcs['apply-' + tn] = ('ApplyResourceChange', msg(field(1, tn), field(2, dyn(None)),
                               field(3, dyn(planned)), field(4, dyn(config))))
    for name, (m, body) in rpcs.items():
        put('fuzz_rpc', name, bytes([M[m]]) + body)

    # AWS answers: selector byte (even: error answer, odd: credentials JSON).
    put('fuzz_aws_answer', 'json-error', b'\0x-amzn-RequestId: 1b2c\nContent-Type: application/json\n\n'
        b'{"__type":"com.amazonaws.iot#ResourceNotFoundException","message":"Thing x not found"}')
    put('fuzz_aws_answer', 'json-code', b'\0x-amzn-ErrorType: ThrottlingException:http://x/\n\n'
        b'{"code":"ThrottlingException","Message":"Rate exceeded"}')
    put('fuzz_aws_answer', 'xml-error', b'\0x-amz-request-id: abc\n\n<ErrorResponse><Error><Code>'
        b'ExpiredToken</Code><Message>The security token &amp; more</Message></Error>'
        b'<RequestId>4c1d</RequestId></ErrorResponse>')
    put('fuzz_aws_answer', 'creds-process', b'\1{"Version":1,"AccessKeyId":"AKIDEXAMPLE",'
        b'"SecretAccessKey":"secret","SessionToken":"token","Expiration":"2030-01-01T00:00:00Z"}')
    put('fuzz_aws_answer', 'creds-imds', b'\1{"Code":"Success","Type":"AWS-HMAC",'
        b'"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}')

    # STS XML.
    put('fuzz_sts_xml', 'caller-identity', '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/'
        'doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn>'
        '<UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>'
        '<ResponseMetadata><RequestId>01234567-89ab</RequestId></ResponseMetadata>'
        '</GetCallerIdentityResponse>')
    put('fuzz_sts_xml', 'assume-role', '<AssumeRoleResponse><AssumeRoleResult><Credentials>'
        '<AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>s&#47;x&#x2B;y</SecretAccessKey>'
        '<SessionToken>t&lt;&gt;&quot;&apos;</SessionToken><Expiration>2030-01-01T00:00:00Z'
        '</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>')
    put('fuzz_sts_xml', 'error', '<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type>'
        '<Code>AccessDenied</Code><Message>not <b>allowed</b></Message></Error>'
        '<RequestId>r-1</RequestId></ErrorResponse>')

    # PEM: selector byte, NUL, up to three texts cut at NULs.
    def read(name):
        with open(os.path.join(PEM_DATA, name), 'rb') as f:
            return f.read()
    ca, device, other, csr = read('ca.pem'), read('device.pem'), read('other.pem'), read('device.csr')
    with tempfile.TemporaryDirectory() as tmp:
        def openssl(*args):
            return subprocess.run(['openssl', *args], check=True, capture_output=True).stdout
        rsa = openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024')
        p = os.path.join(tmp, 'k')
        with open(p, 'wb') as f:
            f.write(rsa)
        rsa1 = openssl('rsa', '-in', p, '-traditional')
        ec = openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256')
        with open(p, 'wb') as f:
            f.write(ec)
        sec1 = openssl('ec', '-in', p)
        ed = openssl('genpkey', '-algorithm', 'ED25519')
        put('fuzz_pem', 'cert-ca', b'\0\0' + ca)
        put('fuzz_pem', 'cert-device', b'\0\0' + device)
        put('fuzz_pem', 'locally-signed', b'\1\0' + csr + b'\0' + ca + b'\0' + ec)
        put('fuzz_pem', 'key-rsa-pkcs8', b'\2\0' + rsa)
        put('fuzz_pem', 'key-rsa-pkcs1', b'\2\0' + rsa1)
        put('fuzz_pem', 'key-ec-sec1', b'\2\0' + sec1)
        put('fuzz_pem', 'key-ed25519', b'\2\0' + ed)
        put('fuzz_pem', 'aws', b'\3\0' + device + b'\0' + csr + b'\0' + ca)
        put('fuzz_pem', 'aws-other', b'\3\0' + other + b'\0' + device + b'\0' + other)

        for alg, extra in (('ed25519', []), ('ecdsa', ['-b', '256']), ('ecdsa', ['-b', '384']),
                           ('rsa', ['-b', '1024'])):
            k = os.path.join(tmp, 'ssh-' + alg + ''.join(extra))
            subprocess.run(['ssh-keygen', '-q', '-t', alg, *extra, '-N', '', '-C', 'fuzz', '-f', k],
                           check=True)
            with open(k, 'rb') as f:
                put('fuzz_openssh', os.path.basename(k), f.read())
        put('fuzz_openssh', 'pem-ec', sec1)

    # ARNs.
    for i, a in enumerate(['arn:aws:iot:us-east-1:123456789012:thing/device-1',
                           'arn:aws:iam::123456789012:role/admin',
                           'arn:aws-cn:s3:::bucket/key:with:colons',
                           'arn:aws-us-gov:iot:us-gov-west-1:aws:policy/x',
                           'arn:aws:lambda:eu-west-1:third-party0123456789:function:f']):
        put('fuzz_arn', str(i), a)

    # Policy documents: "<a>\0<b>".
    pol = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iot:Connect",'
           '"iot:Publish"],"Resource":"arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}",'
           '"Condition":{"Bool":{"iot:Connection.Thing.IsAttached":true}}}]}')
    same = ('{"Statement":{"Resource":["arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}"],'
            '"Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}},'
            '"Action":["iot:Publish","iot:Connect"],"Effect":"allow"},"Version":"2012-10-17"}')
    put('fuzz_policy_doc', 'same', pol + '\0' + same)
    put('fuzz_policy_doc', 'principal', '{"Statement":[{"Sid":"a","Effect":"Deny","NotAction":"*",'
        '"Principal":{"AWS":"123456789012"},"NotResource":["x","y"]}],"Id":"p"}\0{"Statement":[{"Sid":'
        '"a","Effect":"Deny","NotAction":["*"],"Principal":{"AWS":["arn:aws:iam::123456789012:root"]},'
        '"NotResource":["y","x"]}],"Id":"p"}')
    put('fuzz_policy_doc', 'empty', ' \0{}')

    # Profiles: "<name>\0<config>\0<credentials>".
    put('fuzz_profile', 'default', 'default\0[default]\nregion = eu-west-1\noutput=json\n'
        '\0[default]\naws_access_key_id = AKID\naws_secret_access_key = secret\n')
    put('fuzz_profile', 'named', 'dev\0# comment\n[profile dev]\nregion = us-east-2\nrole_arn = '
        'arn:aws:iam::123456789012:role/r\nsource_profile = base\ns3 =\n  max_concurrent_requests = 5\n'
        '[profile base]\nregion=x\n\0; comment\n[dev]\naws_session_token=tok\n[base]\n'
        'aws_access_key_id=A\naws_secret_access_key=B\n')
    put('fuzz_profile', 'sso', 'sso\0[sso-session s]\nsso_region=us-east-1\n[profile sso]\n'
        'sso_session = s\ncredential_process = /bin/echo {}\n\0')


if __name__ == '__main__':
    sys.exit(main())
