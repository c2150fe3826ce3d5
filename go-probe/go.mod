module go-dns-harness/probe

go 1.19
