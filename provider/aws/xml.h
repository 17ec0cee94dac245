/*
 * xml.h - the little XML the STS query protocol answers with.
 *
 * Only what the STS and error documents need: the text of the first
 * element with a given name, entities (&amp; &lt; &gt; &quot; &apos; and
 * numeric references below 128) decoded.  No DTDs, no namespaces prefixes.
 */
#ifndef THINGFORM_AWS_XML_H
#define THINGFORM_AWS_XML_H

#include <stddef.h>

/* A new string with the text of the first <tag>...</tag> in doc[0..len),
 * or NULL when there is none, it holds markup, or memory runs out. */
char *aws_xml_text(const char *doc, size_t len, const char *tag);

#endif
