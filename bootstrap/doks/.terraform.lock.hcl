# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/digitalocean/digitalocean" {
  version     = "2.51.0"
  constraints = "2.51.0"
  hashes = [
    "h1:3tLU4w5suOvgCynsiiF7/q9dcuRXopDMfqE1oNvB7IE=",
    "zh:02343f78f1c08c36a622328812f51026ec1af6cfacd7fcdd1fa9c5c72ef51f0a",
    "zh:040819355971cba19a652029b25b5be6d2ad51dc2f0ee8fb52eb33ac64d3e305",
    "zh:26bf0e6fd8fed53e0999cf6229373ead98d0cb804f0254dea42a89d0ff6f64ab",
    "zh:38543949762977dc23e0cccc9cc5f93a9b3458dcd41f8f386310fc89d18f76a3",
    "zh:67d2225407ce912cd43fd4e206e69747dde8fb34d5b524ed27df4238a4fa0fad",
    "zh:6c2534615b77a575415fd2d9cbea556a8d7b4b36fd9b2c9b6edd7524f465fb9b",
    "zh:6ef3b41e82c5e7a5dd3487b756cde239e572c06379f8f3ac5bd8caa783a22f77",
    "zh:9d4a183f5d58443c3ef44830534436b95f83ebeb14653bc318714de96ada3edf",
    "zh:a722a890ca9d51cabe29e15f126ca1c256a4d936d653101e552d6e91d80b8507",
    "zh:acc511ddf40806999e924c1afb0a940331007debdffbf4b88d9dda0f3d2644a9",
    "zh:b94da82950161052176a91891829ab5d044dd90d24849ef9bd9a24415620c0a5",
    "zh:bdfd992e73774752d0b700108a068e5845744a14c365ce611207fea0e94b05d0",
    "zh:bf0bf2a4352bb3b458253fdcedd1119c805617c5def6d0d6deccbbe98c180328",
    "zh:c4ca052a5e70295f715fb5bfb14f3f4fd7f03b5ff6c6009e194923241987128d",
    "zh:d6722ded0cda91a9eaa1a03a8ce3e143569b5215cd14add4a58fe38732419c0f",
    "zh:e06505d43dfb0cd1da0fe310469ea55e1dc6c4a31f7cb58079c5dde9cb59bfb0",
  ]
}
