#include "face_file.hpp"

#include <fcntl.h>
#include <ft2build.h>
#include <sys/stat.h>
#include <unistd.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>

namespace rapport::render {
namespace {

constexpr unsigned long kBlock = 4096;
constexpr unsigned long kBlocks = 16;  // 64 KB a face: most of a report's small reads hit
// A CFF table at least this large is never read whole (see the header). FreeType itself reads
// Noto Sans CJK's in pieces of at most ~1 MB.
constexpr unsigned long kLargeCff = 1ul << 20;

// A face's file: FreeType's stream over it and the block cache. Lives as long as the face.
struct FaceFile {
  FT_StreamRec stream{};
  int fd = -1;
  unsigned long refused = 0;  // the length of a large CFF table: the one read refused; or 0
  std::mutex mutex;           // guards the cache
  std::array<unsigned long, kBlocks> block_of{};  // 1 + the file block in each slot; 0: none
  std::array<unsigned long, kBlocks> valid{};     // bytes of that block the file has
  std::unique_ptr<unsigned char[]> blocks = std::make_unique<unsigned char[]>(kBlocks * kBlock);
};

unsigned long ReadFully(int fd, unsigned char* buffer, unsigned long count, unsigned long offset) {
  unsigned long done = 0;
  while (done < count) {
    ssize_t got = pread(fd, buffer + done, count - done, static_cast<off_t>(offset + done));
    if (got <= 0) break;
    done += static_cast<unsigned long>(got);
  }
  return done;
}

// `count` (at most a block) bytes at `offset` through the cache; fewer at the end of the file
// or on an error.
unsigned long ReadCached(FaceFile& file, unsigned long offset, unsigned char* buffer,
                         unsigned long count) {
  std::lock_guard lock(file.mutex);
  unsigned long done = 0;
  while (done < count) {
    unsigned long at = offset + done, block = at / kBlock, slot = block % kBlocks;
    unsigned char* cached = file.blocks.get() + slot * kBlock;
    if (file.block_of[slot] != block + 1) {
      file.valid[slot] = ReadFully(file.fd, cached, kBlock, block * kBlock);
      file.block_of[slot] = block + 1;
    }
    unsigned long within = at - block * kBlock;
    if (within >= file.valid[slot]) break;
    unsigned long n = std::min(count - done, file.valid[slot] - within);
    std::memcpy(buffer + done, cached + within, n);
    done += n;
  }
  return done;
}

// FreeType's read function: bytes read (FreeType takes fewer than `count` as an error).
unsigned long ReadAt(FT_Stream stream, unsigned long offset, unsigned char* buffer,
                     unsigned long count) {
  if (count == 0) return offset <= stream->size ? 0 : 1;  // a seek: 0 is success
  auto* file = static_cast<FaceFile*>(stream->descriptor.pointer);
  if (count == file->refused) return 0;
  if (count > kBlock) return ReadFully(file->fd, buffer, count, offset);
  return ReadCached(*file, offset, buffer, count);
}

FT_Library Library() {
  static FT_Library library = [] {
    FT_Library created = nullptr;
    return FT_Init_FreeType(&created) == 0 ? created : nullptr;
  }();
  return library;
}

}  // namespace

FT_Face OpenFaceUnmapped(const char* path, int index) {
  static std::mutex mutex;  // FreeType's library object is not thread-safe
  std::lock_guard lock(mutex);
  FT_Library library = Library();
  int fd = library ? open(path, O_RDONLY | O_CLOEXEC) : -1;
  struct stat st {};
  if (fd < 0 || fstat(fd, &st) != 0) {
    if (fd >= 0) close(fd);
    return nullptr;
  }
  auto file = std::make_unique<FaceFile>();
  file->fd = fd;
  file->stream.size = static_cast<unsigned long>(st.st_size);
  file->stream.descriptor.pointer = file.get();
  file->stream.read = ReadAt;
  FT_Open_Args args{};
  args.flags = FT_OPEN_STREAM;
  args.stream = &file->stream;
  FT_Face face = nullptr;
  if (FT_Open_Face(library, &args, index, &face) != 0) {
    close(fd);
    return nullptr;
  }
  FT_ULong cff = 0;
  if (FT_Load_Sfnt_Table(face, TTAG_CFF, 0, nullptr, &cff) == 0 && cff >= kLargeCff) {
    file->refused = cff;
  }
  file.release();  // owned by the face, which is never closed
  return face;
}

}  // namespace rapport::render
