module example.com/gateway

go 1.22

require (
	github.com/gin-gonic/gin v1.10.0
	golang.org/x/crypto v0.24.0 // indirect
)

replace github.com/gin-gonic/gin => github.com/someone-else/gin v1.10.1

replace example.com/auth => ../auth
