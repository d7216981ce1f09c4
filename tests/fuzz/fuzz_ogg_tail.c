/* libFuzzer: the Ogg tail reader behind exact seeking in Vorbis recordings
 * (rec_ogg_last_page_span) never reads outside its buffer or crashes, and
 * answers -1 or a span of frames (>= 0), the same for the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/recseek.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly `size` bytes, so ASan sees any read past the end */
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    int64_t span = rec_ogg_last_page_span(buf, size);
    if (span < -1)
        abort();
    /* the same bytes, the same answer (no state, no reads outside buf) */
    if (rec_ogg_last_page_span(buf, size) != span)
        abort();
    free(buf);
    return 0;
}
