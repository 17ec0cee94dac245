/*
 * policy_doc.h - IAM-style policy documents (AWS IoT policies): checking
 * them, writing them in one canonical form, and comparing them by meaning.
 *
 * Pure functions over strings: no AWS calls, no Terraform values.
 *
 * Equivalence (what AWS treats as the same document, so that a document
 * AWS returns reformatted never shows a diff):
 *   - whitespace, key order and string escapes never matter;
 *   - Version, Id and Sid compare exactly (absent equals ""), Effect
 *     ignores case;
 *   - Statement may be one object or a list; the order of statements is
 *     ignored (each must pair with an equivalent one);
 *   - Action, NotAction, Resource, NotResource and each Condition value
 *     are compared as sorted lists of strings, where a string equals a
 *     one-element list and a number or bool equals its JSON text;
 *   - Principal / NotPrincipal: a string, or a map of such lists, where a
 *     12-digit account id equals arn:PARTITION:iam::ACCOUNT:root;
 *   - any other key (at the top or in a statement) compares as JSON;
 *   - an empty (or blank) document equals "{}".
 */
#ifndef THINGFORM_AWS_POLICY_DOC_H
#define THINGFORM_AWS_POLICY_DOC_H

#include <stdbool.h>
#include <stddef.h>

/*
 * 0 when `text` is a JSON object; otherwise -1 with a reason in why
 * (JSON's error and where it is, or what the top level is instead).
 */
int policy_doc_check(const char *text, char *why, size_t whylen);

/*
 * The canonical text of a document: compact JSON with the keys sorted,
 * <, > and & written as \u003c, \u003e and \u0026 (the form hashicorp/aws
 * keeps in its state).  Malloc'd; NULL when `text` is not a JSON object or
 * memory runs out.
 */
char *policy_doc_normalize(const char *text);

/* True when the two documents mean the same (see above).  A text that is
 * not a JSON object equals only itself, byte for byte. */
bool policy_doc_equivalent(const char *a, const char *b);

#endif
