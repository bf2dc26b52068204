// Argon2id password hashing and the role → scope table.
#include <rapport/accounts/password.hpp>
#include <rapport/accounts/roles.hpp>
#include <rapport/auth/jwt.hpp>

#include <gtest/gtest.h>
#include <sodium.h>

namespace rapport::accounts {
namespace {

TEST(Password, HashVerifiesOnlyItsPassword) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse battery"));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
}

TEST(Password, SaltMakesEveryHashDifferent) {
  EXPECT_NE(*HashPassword("same password"), *HashPassword("same password"));
}

TEST(Password, HashOfOtherLimitsNeedsRehash) {
  ASSERT_GE(sodium_init(), 0);
  char other[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str_alg(other, "password", 8, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                  crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13),
            0);
  EXPECT_TRUE(VerifyPassword(other, "password"));
  EXPECT_TRUE(PasswordNeedsRehash(other));
}

// The cost is in the hash itself (PHC string): Argon2id, 32 MiB, 2 passes (~50 ms a login on 2
// cores; timed by hand, not here: a timed test fails on a loaded machine).
TEST(Password, HashesAreArgon2idWithTheConfiguredCost) {
  auto hash = HashPassword("cost password");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=32768,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "cost password"));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
}

TEST(Password, GeneratedPasswordsAreLongAndDistinct) {
  std::string a = GeneratePassword(), b = GeneratePassword();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(CheckPasswordRules(a).ok());
  EXPECT_FALSE(CheckPasswordRules("short").ok());
  EXPECT_FALSE(CheckPasswordRules(std::string(257, 'x')).ok());
}

TEST(Roles, ViewerReadsOnly) {
  auto scopes = ScopesOfRole(Role::kViewer);
  EXPECT_TRUE(ScopesGrant(scopes, "read:sla"));
  EXPECT_TRUE(ScopesGrant(scopes, "read:brands"));
  EXPECT_FALSE(ScopesGrant(scopes, "write:sla"));
  EXPECT_FALSE(ScopesGrant(scopes, "write:brands"));
}

TEST(Roles, EditorWritesButNotAdminResources) {
  auto scopes = ScopesOfRole(Role::kEditor);
  for (const char* granted :
       {"read:sla", "write:sla", "write:brands", "write:scheduled", "write:region-configs",
        "write:prompts", "write:reports", "write:jobs"}) {
    EXPECT_TRUE(ScopesGrant(scopes, granted)) << granted;
  }
  for (const char* refused :
       {"write:webhooks", "write:white-label", "write:users", "write:tokens", "write:all"}) {
    EXPECT_FALSE(ScopesGrant(scopes, refused)) << refused;
  }
}

TEST(Roles, AdminManagesEverything) {
  auto scopes = ScopesOfRole(Role::kAdmin);
  for (const char* granted : {"read:users", "write:users", "read:tokens", "write:tokens",
                              "write:webhooks", "write:white-label", "write:sla"}) {
    EXPECT_TRUE(ScopesGrant(scopes, granted)) << granted;
  }
}

TEST(Roles, NamesRoundTrip) {
  for (Role r : {Role::kAdmin, Role::kEditor, Role::kViewer}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("Admin"));
  EXPECT_FALSE(ParseRole("owner"));
}

TEST(Roles, WellFormedScopes) {
  EXPECT_TRUE(IsWellFormedScope("*"));
  EXPECT_TRUE(IsWellFormedScope("read:all"));
  EXPECT_TRUE(IsWellFormedScope("write:region-configs"));
  EXPECT_FALSE(IsWellFormedScope("read:"));
  EXPECT_FALSE(IsWellFormedScope("admin"));
  EXPECT_FALSE(IsWellFormedScope("read:ALL"));
  EXPECT_FALSE(IsWellFormedScope("write:a b"));
}

}  // namespace
}  // namespace rapport::accounts
