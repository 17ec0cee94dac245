/*
 * fuzz_sts_xml.c - STS's XML answers (GetCallerIdentity, AssumeRole*) and
 * XML error bodies, read by aws_xml_text for every element sts.c and
 * client.c look up.
 *
 * Input: the XML document, as bytes (not NUL-terminated: ASan sees any
 * read past them).
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "provider/aws/xml.h"

static const char *const tags[] = {
	"Account", "Arn", "UserId", "AccessKeyId", "SecretAccessKey", "SessionToken",
	"Expiration", "Code", "Message", "RequestId",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *doc = malloc(size ? size : 1);
	if (!doc)
		abort();
	memcpy(doc, data, size);
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		char *text = aws_xml_text(doc, size, tags[i]);
		FUZZ_CHECK(!text || strlen(text) <= size);
		free(text);
	}
	free(doc);
	return 0;
}
