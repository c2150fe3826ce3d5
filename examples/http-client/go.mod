module example.com/http-client

go 1.19
