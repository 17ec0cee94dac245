"""Bad input, one table per provider, under both CLIs.

A row is one block of a malformed configuration, the exact summary and a precise part of the detail of
the one error it must get, and the text of the line that error points at (its attribute path, as the CLI
resolves it to a line of the file).  A row with no expected error holds a value unknown at validation
(`var.*`): the provider must wait for the real value rather than guess.  All the rows of a provider are
one configuration, so one `validate -json` per provider and CLI checks them all (the CLI validates each
block on its own, and a crash would answer every row with the same plugin error).  PLAN_ROWS are the same
for what can only be found when a data source is read or an ephemeral resource is opened, with `plan`.
"""

import json

import pytest

from conftest import required_providers

VARIABLES = 'variable "n" {\n  type = number\n}\nvariable "s" {\n  type = string\n}\n'
GARBAGE_CERT = "-----BEGIN CERTIFICATE-----\\nMAA=\\n-----END CERTIFICATE-----\\n"
TRUNCATED_KEY = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n"
CERT_ARN = "arn:aws:iot:eu-west-1:123456789012:cert/abc"
COGNITO_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
ENCRYPTED = ("-----BEGIN RSA PRIVATE KEY-----\\nProc-Type: 4,ENCRYPTED\\nDEK-Info: AES-128-CBC,"
             "00000000000000000000000000000000\\n\\nMAA=\\n-----END RSA PRIVATE KEY-----\\n")

# name: (block type, body, text of the line pointed at, summary, part of the detail).  The line may depend on
# the CLI: OpenTofu points at the block for a path into a list of blocks, Terraform at that element.
ROWS = {
    "random": {
        "id_zero": ('resource "random_id"', "byte_length = 0", "byte_length = 0", "Invalid attribute value",
                    '"byte_length" must be at least 1, got 0.'),
        "id_huge": ('resource "random_id"', "byte_length = 2000000", "byte_length", "Invalid attribute value",
                    '"byte_length" must be at most 1048576, got 2000000.'),
        "id_fraction": ('resource "random_id"', "byte_length = 1.5", "byte_length", "Invalid attribute value",
                        '"byte_length" must be a whole number between -2^63 and 2^63-1, got 1.5.'),
        "id_negative": ('resource "random_id"', "byte_length = -1", "byte_length", "Invalid attribute value",
                        '"byte_length" must be at least 1, got -1.'),
        "bytes_zero": ('resource "random_bytes"', "length = 0", "length = 0", "Invalid attribute value",
                       '"length" must be at least 1, got 0.'),
        "integer_reversed": ('resource "random_integer"', "min = 5\n  max = 1", "max = 1", "Invalid Attribute Value",
                             '"max" (1) must not be less than "min" (5).'),
        "integer_fraction": ('resource "random_integer"', "min = 0.5\n  max = 1", "min = 0.5",
                             "Invalid attribute value", '"min" must be a whole number'),
        "integer_beyond_int64": ('resource "random_integer"', "min = 0\n  max = 99999999999999999999", "max =",
                                 "Invalid attribute value", "between -2^63 and 2^63-1, got 99999999999999999999."),
        "password_zero": ('resource "random_password"', "length = 0", "length = 0", "Invalid attribute value",
                          '"length" must be at least 1, got 0.'),
        "password_minimums": ('resource "random_password"', "length = 4\n  min_upper = 3\n  min_lower = 3",
                              "length = 4", "Invalid Attribute Value",
                              '"length" must be at least the sum of min_upper, min_lower, min_numeric and '
                              "min_special (6), got 4."),
        "password_negative_minimum": ('resource "random_password"', "length = 4\n  min_special = -1", "min_special",
                                      "Invalid attribute value", '"min_special" must be at least 0, got -1.'),
        "password_no_class": ('resource "random_password"',
                              "length = 4\n  upper = false\n  lower = false\n  numeric = false\n  special = false",
                              "numeric = false", "Invalid Attribute Combination",
                              "At least one attribute out of [special, upper, lower, numeric] must be specified"),
        "string_number_and_numeric": ('resource "random_string"', "length = 4\n  number = false\n  numeric = true",
                                      "numeric = true", "Number and numeric are both configured with different values",
                                      '"number" is the deprecated name of "numeric": remove "number" and keep'),
        "string_zero": ('resource "random_string"', "length = 0", "length = 0", "Invalid attribute value",
                        '"length" must be at least 1, got 0.'),
        "string_minimums": ('resource "random_string"', "length = 3\n  min_upper = 2\n  min_lower = 2", "length = 3",
                            "Invalid Attribute Value", "min_numeric and min_special (4), got 3."),
        "string_negative_minimum": ('resource "random_string"', "length = 4\n  min_numeric = -1", "min_numeric",
                                    "Invalid attribute value", '"min_numeric" must be at least 0, got -1.'),
        "string_fraction": ('resource "random_string"', "length = 2.5", "length", "Invalid attribute value",
                            '"length" must be a whole number between -2^63 and 2^63-1, got 2.5.'),
        "string_no_class": ('resource "random_string"',
                            "length = 4\n  upper = false\n  lower = false\n  numeric = false\n  special = false",
                            "numeric = false", "Invalid Attribute Combination",
                            "At least one attribute out of [special, upper, lower, numeric] must be specified"),
        "string_huge": ('resource "random_string"', "length = 1048577", "length", "Invalid attribute value",
                        '"length" must be at most 1048576, got 1048577.'),
        "pet_zero": ('resource "random_pet"', "length = 0", "length = 0", "Invalid attribute value",
                     '"length" must be at least 1, got 0.'),
        "shuffle_negative": ('resource "random_shuffle"', 'input = ["a"]\n  result_count = -1', "result_count",
                             "Invalid attribute value", '"result_count" must be at least 0, got -1.'),
        "keepers_not_strings": ('resource "random_uuid"', "keepers = { a = [1] }", "keepers",
                                "Incorrect attribute value type", 'element "a": string required'),
        "ephemeral_password_zero": ('ephemeral "random_password"', "length = 0", "length = 0",
                                    "Invalid attribute value", '"length" must be at least 1, got 0.'),
        "ephemeral_password_minimums": ('ephemeral "random_password"', "length = 4\n  min_upper = 3\n  min_lower = 3",
                                        "length = 4", "Invalid Attribute Value", "min_special (6), got 4."),
        "ephemeral_password_no_class": ('ephemeral "random_password"',
                                        "length = 4\n  numeric = false\n  upper = false\n  lower = false\n"
                                        "  special = false", "numeric = false", "Invalid Attribute Combination",
                                        "At least one attribute out of [special, upper, lower, numeric]"),
        "ephemeral_bytes_fraction": ('ephemeral "random_bytes"', "length = 1.5", "length", "Invalid attribute value",
                                     '"length" must be a whole number between -2^63 and 2^63-1, got 1.5.'),
        "ephemeral_bytes_huge": ('ephemeral "random_bytes"', "length = 1048577", "length", "Invalid attribute value",
                                 '"length" must be at most 1048576, got 1048577.'),
        "unknown_length": ('resource "random_password"', "length = var.n\n  min_upper = 3", None, None, None),
        "unknown_count": ('resource "random_shuffle"', 'input = ["a"]\n  result_count = var.n', None, None, None),
    },
    "tls": {
        "algorithm": ('resource "tls_private_key"', 'algorithm = "DSA"', "algorithm", "Invalid attribute value",
                      '"algorithm" must be one of "RSA", "ECDSA", "ED25519", got "DSA".'),
        "algorithm_case": ('resource "tls_private_key"', 'algorithm = "rsa"', "algorithm", "Invalid attribute value",
                           'got "rsa".'),
        "curve": ('resource "tls_private_key"', 'algorithm = "ECDSA"\n  ecdsa_curve = "P192"', "ecdsa_curve",
                  "Invalid attribute value", '"ecdsa_curve" must be one of "P224", "P256", "P384", "P521", got "P192".'),
        "rsa_small": ('resource "tls_private_key"', 'algorithm = "RSA"\n  rsa_bits = 512', "rsa_bits", "Invalid rsa_bits",
                      "rsa_bits must be a whole number from 1024 to 16384, got 512"),
        "rsa_huge": ('resource "tls_private_key"', 'algorithm = "RSA"\n  rsa_bits = 100000', "rsa_bits",
                     "Invalid rsa_bits", "from 1024 to 16384, got 100000"),
        "unknown_algorithm": ('resource "tls_private_key"', "algorithm = var.s\n  rsa_bits = 512", None, None, None),
        "key_garbage": ('resource "tls_self_signed_cert"',
                        'private_key_pem = "garbage"\n  validity_period_hours = 1\n  allowed_uses = []',
                        'private_key_pem = "garbage"', "Failed to decode PEM block", "holds no PEM block"),
        "key_truncated": ('resource "tls_self_signed_cert"',
                          f'private_key_pem = "{TRUNCATED_KEY}"\n  validity_period_hours = 1\n  allowed_uses = []',
                          "private_key_pem", "Failed to parse private key",
                          "The PRIVATE KEY block does not hold a valid key."),
        "key_is_certificate": ('resource "tls_self_signed_cert"',
                               f'private_key_pem = "{GARBAGE_CERT}"\n  validity_period_hours = 1\n  allowed_uses = []',
                               "private_key_pem", "Unsupported private key",
                               "unsupported PEM preamble/type: CERTIFICATE. Use an unencrypted RSA PRIVATE KEY"),
        "validity_negative": ('resource "tls_self_signed_cert"',
                              "private_key_pem = var.s\n  validity_period_hours = -1\n  allowed_uses = []",
                              "validity_period_hours", "Invalid attribute value",
                              '"validity_period_hours" must be at least 0, got -1.'),
        "use_unknown_word": ('resource "tls_self_signed_cert"',
                             'private_key_pem = var.s\n  validity_period_hours = 1\n  allowed_uses = ["server_auth", "fly"]',
                             "allowed_uses", "Invalid Attribute Value Match",
                             '"fly" is not an allowed use. Each of allowed_uses must be one of: any_extended,'),
        "early_renewal_negative": ('resource "tls_self_signed_cert"',
                                   "private_key_pem = var.s\n  validity_period_hours = 1\n  early_renewal_hours = -2\n"
                                   "  allowed_uses = []", "early_renewal_hours", "Invalid attribute value",
                                   '"early_renewal_hours" must be at least 0, got -2.'),
        "path_length": ('resource "tls_self_signed_cert"',
                        "private_key_pem = var.s\n  validity_period_hours = 1\n  max_path_length = -2\n  allowed_uses = []",
                        "max_path_length", "Invalid attribute value", '"max_path_length" must be at least -1, got -2.'),
        "ip_address": ('resource "tls_self_signed_cert"',
                       'private_key_pem = var.s\n  validity_period_hours = 1\n  allowed_uses = []\n'
                       '  ip_addresses = ["300.1.1.1"]', "ip_addresses", "Invalid IP address",
                       'Failed to parse "300.1.1.1": not an IP address.'),
        "uri": ('resource "tls_self_signed_cert"',
                'private_key_pem = var.s\n  validity_period_hours = 1\n  allowed_uses = []\n  uris = ["::no"]',
                "uris", "Invalid URI", 'Failed to parse "::no": missing protocol scheme.'),
        "uri_escape": ('resource "tls_self_signed_cert"',
                       'private_key_pem = var.s\n  validity_period_hours = 1\n  allowed_uses = []\n  uris = ["http://a/%zz"]',
                       "uris", "Invalid URI", 'Failed to parse "http://a/%zz": invalid URL escape.'),
        "ca_without_subject": ('resource "tls_self_signed_cert"',
                               "private_key_pem = var.s\n  validity_period_hours = 1\n  allowed_uses = []\n"
                               "  is_ca_certificate = true", "is_ca_certificate", "Invalid Certificate Subject",
                               "when creating Certificate Authority (CA): add a subject block, for example with a "
                               "common_name."),
        "path_length_on_leaf": ('resource "tls_self_signed_cert"',
                                "private_key_pem = var.s\n  validity_period_hours = 1\n  allowed_uses = []\n"
                                "  max_path_length = 3", "max_path_length", "Invalid max_path_length",
                                "Only a CA (is_ca_certificate = true) may specify a max_path_length."),
        "two_subjects": ('resource "tls_self_signed_cert"',
                         "private_key_pem = var.s\n  validity_period_hours = 1\n  allowed_uses = []\n"
                         '  subject {\n    common_name = "a"\n  }\n  subject {\n    organization = "b"\n  }',
                         {"terraform": "subject {", "tofu": "two_subjects"}, "Invalid Attribute Value",
                         "At most one subject block may be given, got 2: remove the others."),
        "request_key_garbage": ('resource "tls_cert_request"',
                                'private_key_pem = "-----BEGIN EC PRIVATE KEY-----\\nbm90IGEga2V5\\n'
                                '-----END EC PRIVATE KEY-----\\n"', "private_key_pem", "Failed to parse private key",
                                "The EC PRIVATE KEY block does not hold a valid key."),
        "csr_garbage": ('resource "tls_locally_signed_cert"',
                        'cert_request_pem = "garbage"\n  ca_private_key_pem = var.s\n  ca_cert_pem = var.s\n'
                        "  validity_period_hours = 1\n  allowed_uses = []", "cert_request_pem",
                        "Failed to decode PEM block", 'holds no PEM block ("-----BEGIN CERTIFICATE REQUEST-----").'),
        "csr_is_certificate": ('resource "tls_locally_signed_cert"',
                               f'cert_request_pem = "{GARBAGE_CERT}"\n  ca_private_key_pem = var.s\n'
                               "  ca_cert_pem = var.s\n  validity_period_hours = 1\n  allowed_uses = []",
                               "cert_request_pem", "Unsupported PEM block",
                               "unsupported PEM preamble/type: CERTIFICATE; expected CERTIFICATE REQUEST."),
        "ca_not_der": ('resource "tls_locally_signed_cert"',
                       f'cert_request_pem = var.s\n  ca_private_key_pem = var.s\n  ca_cert_pem = "{GARBAGE_CERT}"\n'
                       "  validity_period_hours = 1\n  allowed_uses = []", "ca_cert_pem", "Failed to parse PEM block",
                       "The CERTIFICATE block is not valid DER."),
        "validity_huge": ('resource "tls_locally_signed_cert"',
                          "cert_request_pem = var.s\n  ca_private_key_pem = var.s\n  ca_cert_pem = var.s\n"
                          "  validity_period_hours = 2562048\n  allowed_uses = []", "validity_period_hours",
                          "Invalid attribute value", '"validity_period_hours" must be at most 2562047, got 2562048.'),
        "public_key_none": ('data "tls_public_key"', "", "public_key_none", "Invalid Attribute Combination",
                            "Exactly one of private_key_pem and private_key_openssh must be set."),
        "certificate_truncated": ('data "tls_certificate"',
                                  'content = "-----BEGIN CERTIFICATE-----\\nMAA\\n-----END CERTIFICATE-----\\n"',
                                  "content", "Failed to decode PEM", "holds no PEM block"),
        "ephemeral_algorithm": ('ephemeral "tls_private_key"', 'algorithm = "DSA"', "algorithm",
                                "Invalid attribute value", 'got "DSA".'),
        "ephemeral_rsa_small": ('ephemeral "tls_private_key"', 'algorithm = "RSA"\n  rsa_bits = 512', "rsa_bits",
                                "Invalid rsa_bits", "from 1024 to 16384, got 512: smaller RSA keys are insecure."),
        "ephemeral_public_key_none": ('ephemeral "tls_public_key"', "", "ephemeral_public_key_none",
                                      "Invalid Attribute Combination",
                                      "Exactly one of private_key_pem and private_key_openssh must be set."),
        "ephemeral_curve": ('ephemeral "tls_private_key"', 'algorithm = "ECDSA"\n  ecdsa_curve = "p256"', "ecdsa_curve",
                            "Invalid attribute value", 'got "p256".'),
    },
    "http": {
        "method": ('data "http"', 'url = "https://example.com"\n  method = "DELETE"', "method",
                   "Invalid attribute value", '"method" must be one of "GET", "POST", "HEAD", got "DELETE".'),
        "method_case": ('data "http"', 'url = "https://example.com"\n  method = "get"', "method",
                        "Invalid attribute value", 'got "get".'),
        "url_empty": ('data "http"', 'url = ""', 'url = ""', "Invalid URL",
                      'unsupported protocol scheme "": the URL must start with http:// or https://.'),
        "url_no_scheme": ('data "http"', 'url = "example.com/x"', "url", "Invalid URL", 'unsupported protocol scheme ""'),
        "url_file": ('data "http"', 'url = "file:///etc/passwd"', "url", "Invalid URL",
                     'unsupported protocol scheme "file"'),
        "url_ftp": ('data "http"', 'url = "ftp://example.com/x"', "url", "Invalid URL",
                    'unsupported protocol scheme "ftp"'),
        "timeout_zero": ('data "http"', 'url = "https://example.com"\n  request_timeout_ms = 0', "request_timeout_ms",
                         "Invalid attribute value", '"request_timeout_ms" must be at least 1, got 0.'),
        "attempts_negative": ('data "http"', 'url = "https://example.com"\n  retry {\n    attempts = -1\n  }',
                              "attempts", "Invalid attribute value", '"attempts" must be at least 0, got -1.'),
        "delay_negative": ('data "http"', 'url = "https://example.com"\n  retry {\n    min_delay_ms = -5\n  }',
                           "min_delay_ms", "Invalid attribute value", '"min_delay_ms" must be at least 0, got -5.'),
        "delays_reversed": ('data "http"',
                            'url = "https://example.com"\n  retry {\n    min_delay_ms = 50\n    max_delay_ms = 10\n  }',
                            "max_delay_ms", "Invalid Attribute Value", "max_delay_ms must be at least min_delay_ms"),
        "header_line_break": ('data "http"', 'url = "https://example.com"\n  request_headers = { X = "a\\nb" }',
                              "request_headers", "Invalid request header",
                              "A header value must not contain a line break or a NUL character."),
        "header_name": ('data "http"', 'url = "https://example.com"\n  request_headers = { "X:Y" = "a" }',
                        "request_headers", "Invalid request header", "A header name must be a non-empty HTTP token"),
        "insecure_and_ca": ('data "http"', 'url = "https://example.com"\n  ca_cert_pem = "x"\n  insecure = true',
                            "ca_cert_pem", "Conflicting attributes",
                            '"ca_cert_pem" cannot be set together with "insecure"; remove one of them.'),
        "ca_truncated": ('data "http"', 'url = "https://example.com"\n  ca_cert_pem = "-----BEGIN CERTIFICATE-----\\nMIIB"',
                         "ca_cert_pem", "Error configuring TLS client",
                         "Can't add the CA certificate to certificate pool: ca_cert_pem holds no PEM-encoded"),
        "certificate_alone": ('data "http"', 'url = "https://example.com"\n  client_cert_pem = "x"', "client_cert_pem",
                              "Missing Attribute Configuration",
                              'Attribute "client_key_pem" must be specified when "client_cert_pem" is specified.'),
        "key_alone": ('data "http"', 'url = "https://example.com"\n  client_key_pem = "x"', "client_key_pem",
                      "Missing Attribute Configuration",
                      'Attribute "client_cert_pem" must be specified when "client_key_pem" is specified.'),
        "two_retry_blocks": ('data "http"', 'url = "https://example.com"\n  retry {}\n  retry {}', "retry {}",
                             "Duplicate retry block", 'Only one block of type "retry" is allowed.'),
        "unknown_url": ('data "http"', 'url = var.s\n  method = "POST"', None, None, None),
    },
    "aws": {
        "thing_name": ('resource "aws_iot_thing"', 'name = "a/b"', "name", "Invalid name",
                       "A thing name may only contain letters, digits, ':', '_' and '-'."),
        "thing_name_empty": ('resource "aws_iot_thing"', 'name = ""', "name", "Invalid attribute value",
                             '"name" must have a length of at least 1.'),
        "thing_name_long": ('resource "aws_iot_thing"', f'name = "{"n" * 129}"', "name", "Invalid attribute value",
                            '"name" must have a length of at most 128.'),
        "thing_type": ('resource "aws_iot_thing"', 'name = "ok"\n  thing_type_name = "sensor v2"', "thing_type_name",
                       "Invalid name", "A thing type name may only contain letters, digits, ':', '_' and '-'."),
        "thing_type_long": ('resource "aws_iot_thing"', f'name = "ok"\n  thing_type_name = "{"t" * 129}"',
                            "thing_type_name", "Invalid attribute value",
                            '"thing_type_name" must have a length of at most 128.'),
        "thing_key": ('resource "aws_iot_thing"', 'name = "ok"\n  attributes = {\n    fine = "1"\n    "bad key" = "v"\n  }',
                      '"bad key"', "Invalid attribute key", "An attribute key is 1 to 128 characters from letters"),
        "thing_key_long": ('resource "aws_iot_thing"', f'name = "ok"\n  attributes = {{\n    fine = "1"\n    "{"k" * 129}" = "v"\n  }}',
                           "kkk", "Attribute key too long", "An attribute key is at most 128 characters; this one has 129."),
        "thing_value": ('resource "aws_iot_thing"', 'name = "ok"\n  attributes = {\n    fine = "1"\n    where = "two words"\n  }',
                        "where", "Invalid attribute value", "An attribute value may only contain letters, digits and"),
        "thing_value_long": ('resource "aws_iot_thing"', f'name = "ok"\n  attributes = {{\n    fine = "1"\n    big = "{"v" * 801}"\n  }}',
                             "big", "Attribute value too long",
                             "An attribute value is at most 800 characters; this one has 801."),
        "thing_value_empty": ('resource "aws_iot_thing"', 'name = "ok"\n  attributes = {\n    fine = "1"\n    blank = ""\n  }',
                              "blank", "Empty attribute value",
                              "AWS IoT removes an attribute whose value is empty, so it can never be stored."),
        "thing_unknown_name": ('resource "aws_iot_thing"', "name = var.s", None, None, None),
        "policy_name": ('resource "aws_iot_policy"', 'name = "a b"\n  policy = "{}"', "name", "Invalid policy name",
                        '"a b" is not an IoT policy name: use 1 to 128 letters, digits and _+=,.@- characters.'),
        "policy_name_long": ('resource "aws_iot_policy"', f'name = "{"p" * 129}"\n  policy = "{{}}"', "name",
                             "Invalid policy name", "is not an IoT policy name"),
        "policy_not_json": ('resource "aws_iot_policy"', 'name = "p"\n  policy = "{not json"', "policy",
                            "Invalid policy document",
                            "policy must be a JSON object: string or '}' expected near 'not' (line 1, column 4). "
                            "Write it with jsonencode()"),
        "policy_list": ('resource "aws_iot_policy"', 'name = "p"\n  policy = "[1, 2]"', "policy",
                        "Invalid policy document", "the document is a list; a policy is a JSON object."),
        "policy_two_documents": ('resource "aws_iot_policy"', 'name = "p"\n  policy = "{} {}"', "policy",
                                 "Invalid policy document", "end of file expected near '{' (line 1, column 4)"),
        "policy_empty": ('resource "aws_iot_policy"', 'name = "p"\n  policy = ""', "policy", "Invalid policy document",
                         "the document is empty; a policy is a JSON object."),
        "policy_update_timeout": ('resource "aws_iot_policy"',
                                  'name = "p"\n  policy = "{}"\n  timeouts {\n    update = "5 minutes"\n  }', "update",
                                  "Invalid timeout", 'timeouts.update must be a duration such as "30s", "5m" or "1h30m".'),
        "policy_unknown": ('resource "aws_iot_policy"', 'name = "p"\n  policy = var.s', None, None, None),
        "policy_timeout": ('resource "aws_iot_policy"', 'name = "p"\n  policy = "{}"\n  timeouts {\n    delete = "soon"\n  }',
                           "delete", "Invalid timeout", 'timeouts.delete must be a duration such as "30s", "5m"'),
        "attachment_target": ('resource "aws_iot_policy_attachment"', 'policy = "p"\n  target = "cert"', "target",
                              "Invalid policy target", '"cert" is neither an ARN'),
        "attachment_arn_region": ('resource "aws_iot_policy_attachment"',
                                  'policy = "door"\n  target = "arn:aws:iot:eu-west:123456789012:cert/ab"', "target",
                                  "Invalid policy target", '"arn:aws:iot:eu-west:123456789012:cert/ab" is neither an ARN'),
        "attachment_cognito": ('resource "aws_iot_policy_attachment"', 'policy = "door"\n  target = "us-east-1:NOT-HEX"',
                               "target", "Invalid policy target",
                               "nor a Cognito identity id (REGION:GUID)."),
        "attachment_policy": ('resource "aws_iot_policy_attachment"', f'policy = "p q"\n  target = "{CERT_ARN}"',
                              "policy", "Invalid policy name", '"p q" is not an IoT policy name'),
        "principal_type": ('resource "aws_iot_thing_principal_attachment"',
                           f'thing = "t"\n  principal = "{CERT_ARN}"\n  thing_principal_type = "ONLY"',
                           "thing_principal_type", "Invalid attribute value",
                           '"thing_principal_type" must be one of "EXCLUSIVE_THING", "NON_EXCLUSIVE_THING", got "ONLY".'),
        "principal": ('resource "aws_iot_thing_principal_attachment"', 'thing = "t"\n  principal = "not-an-arn"',
                      "principal", "Invalid principal", '"not-an-arn" is neither an ARN'),
        "principal_short_arn": ('resource "aws_iot_thing_principal_attachment"', 'thing = "t"\n  principal = "arn:aws:iot"',
                                "principal", "Invalid principal", '"arn:aws:iot" is neither an ARN'),
        "principal_cognito_uuid": ('resource "aws_iot_thing_principal_attachment"',
                                   'thing = "t"\n  principal = "eu-west-1:not-a-uuid"', "principal", "Invalid principal",
                                   "nor an Amazon Cognito identity id (REGION:UUID)."),
        "principal_cognito_region": ('resource "aws_iot_thing_principal_attachment"',
                                     f'thing = "t"\n  principal = "nowhere:{COGNITO_ID}"', "principal",
                                     "Invalid principal", f'"nowhere:{COGNITO_ID}" is neither an ARN'),
        "principal_thing_empty": ('resource "aws_iot_thing_principal_attachment"',
                                  f'thing = ""\n  principal = "{CERT_ARN}"', "thing", "Invalid thing name",
                                  "The thing name must not be empty."),
        "principal_thing": ('resource "aws_iot_thing_principal_attachment"', f'thing = "t t"\n  principal = "{CERT_ARN}"',
                            "thing", "Invalid thing name", "A thing name may only contain letters, digits"),
        "csr_is_certificate": ('resource "aws_iot_certificate"', f'active = true\n  csr = "{GARBAGE_CERT}"', "csr",
                               "Invalid certificate signing request",
                               'csr must be a PEM certificate signing request ("-----BEGIN CERTIFICATE REQUEST-----")'),
        "ca_garbage": ('resource "aws_iot_certificate"',
                       f'active = true\n  certificate_pem = var.s\n  ca_pem = "x"', "ca_pem", "Invalid certificate",
                       'ca_pem must be a PEM certificate ("-----BEGIN CERTIFICATE-----")'),
        "arn_prefix": ('data "aws_arn"', 'arn = "not-an-arn"', "arn", "Invalid ARN",
                       '"not-an-arn" is an invalid ARN: invalid prefix.'),
        "arn_empty": ('data "aws_arn"', 'arn = ""', "arn", "Invalid ARN", '"" is an invalid ARN: invalid prefix.'),
        "arn_short": ('data "aws_arn"', 'arn = "arn:aws:iot"', "arn", "Invalid ARN",
                      '"arn:aws:iot" is an invalid ARN: not enough sections.'),
        "arn_region": ('data "aws_arn"', 'arn = "arn:aws:iot:EU-1:123456789012:thing/x"', "arn", "Invalid ARN",
                       "is an invalid ARN: invalid region value."),
        "arn_account": ('data "aws_arn"', 'arn = "arn:aws:iot:eu-west-1:12345:thing/x"', "arn", "Invalid ARN",
                        "is an invalid ARN: invalid account ID value."),
        "arn_resource": ('data "aws_arn"', 'arn = "arn:aws:iot:eu-west-1:123456789012:"', "arn", "Invalid ARN",
                         "is an invalid ARN: missing resource value."),
        "arn_partition": ('data "aws_arn"', 'arn = "arn:azure:iot:eu-west-1:123456789012:thing/x"', "arn",
                          "Invalid ARN", "is an invalid ARN: invalid partition value."),
        "endpoint_type": ('data "aws_iot_endpoint"', 'endpoint_type = "iot:data"', "endpoint_type",
                          "Invalid attribute value", 'got "iot:data".'),
    },
}

# Found only when the value is read: data sources at plan, ephemeral resources when opened.
PLAN_ROWS = {
    "tls": {
        "ssh_key_garbage": ('data "tls_public_key"',
                            'private_key_openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\\nAAAA\\n'
                            '-----END OPENSSH PRIVATE KEY-----\\n"', "private_key_openssh", "Failed to parse private key",
                            "The OPENSSH PRIVATE KEY block is malformed: give a whole, unencrypted OpenSSH private key."),
        "public_key_garbage": ('data "tls_public_key"', 'private_key_pem = "not a key"', "private_key_pem",
                               "Failed to decode PEM block", "holds no PEM block"),
        "public_key_certificate": ('data "tls_public_key"', f'private_key_pem = "{GARBAGE_CERT}"', "private_key_pem",
                                   "Unsupported private key", "unsupported PEM preamble/type: CERTIFICATE."),
        "public_key_encrypted": ('data "tls_public_key"', f'private_key_pem = "{ENCRYPTED}"', "private_key_pem",
                                 "Unsupported private key", "Encrypted PEM keys are unsupported: decrypt the key first."),
        "public_key_ssh_junk": ('data "tls_public_key"', 'private_key_openssh = "junk"', "private_key_openssh",
                                "Failed to parse private key",
                                'ssh: no key found: the value holds no PEM block ("-----BEGIN OPENSSH PRIVATE KEY-----").'),
        "ephemeral_key_garbage": ('ephemeral "tls_public_key"', 'private_key_pem = "nope"', "private_key_pem",
                                  "Failed to decode PEM block", "holds no PEM block"),
    },
}


def config(provider, rows, cli):
    """The rows as one file; returns it and {row: the line its error must point at under `cli`}."""
    text, lines = required_providers(provider) + VARIABLES, {}
    for name, (block, body, at, _, _) in rows.items():
        start = text.count("\n") + 1
        text += f'{block} "{name}" {{\n  {body}\n}}\n'
        at = at[cli] if isinstance(at, dict) else at
        if at is not None:
            hits = [start + i for i, line in enumerate(text.splitlines()[start - 1:]) if at in line]
            assert hits, f"{name}: no line holds {at!r}"
            lines[name] = hits[-1]  # of a repeated block, the one too many
    return text, lines


def check(diagnostics, text, rows, lines):
    """Each row with an expected error has exactly it, at its line; the others have none."""
    errors = {}
    for d in diagnostics:
        if d["severity"] == "error":
            context = d.get("snippet", {}).get("context") or ""
            errors.setdefault(context.split('"')[-2] if context.count('"') >= 4 else context, []).append(d)
    src = text.splitlines()
    for name, (_, _, at, summary, detail) in rows.items():
        got = errors.pop(name, [])
        if at is None:
            assert got == [], f"{name}: an unknown value was judged: {got}"
            continue
        assert len(got) == 1, f"{name}: {got}"
        d = got[0]
        assert summary is None or d["summary"] == summary, f"{name}: {d}"
        assert detail in " ".join(d["detail"].split()), f"{name}: {d}"
        line = d["range"]["start"]["line"]
        assert line == lines[name], f"{name}: points at line {line} ({src[line - 1].strip()!r}), not at {at!r}"
    assert errors == {}, f"errors on no row: {errors}"


@pytest.mark.parametrize("provider", sorted(ROWS))
def test_validate(cli, provider):
    text, lines = config(provider, ROWS[provider], cli.name)
    cli.write_tf(text)
    cli.init()
    r = cli.run("validate", "-json", check=False)
    out = json.loads(r.stdout)
    assert r.rc == 1 and out["error_count"] > 0, r.stdout
    check(out["diagnostics"], text, ROWS[provider], lines)


@pytest.mark.parametrize("provider", sorted(PLAN_ROWS))
def test_plan(cli, provider):
    text, lines = config(provider, PLAN_ROWS[provider], cli.name)
    cli.write_tf(text)
    cli.init()
    r = cli.run("plan", "-json", "-var", "n=1", "-var", "s=x", check=False)
    assert r.rc == 1, r.output
    diags = [json.loads(line)["diagnostic"] for line in r.stdout.splitlines() if '"type":"diagnostic"' in line]
    check(diags, text, PLAN_ROWS[provider], lines)


def test_tables_are_large_enough():
    """A table per provider of at least 15 rows with an error."""
    assert {p: sum(r[2] is not None for r in ROWS[p].values()) >= 15 for p in ROWS} == dict.fromkeys(ROWS, True)
