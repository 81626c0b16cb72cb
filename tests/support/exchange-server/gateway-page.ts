// The HTML page a CDN / gateway in front of an exchange sends for a 5xx it produces itself.

export function gatewayPage(status: number): string {
  const text = { 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Time-out' }[status] ?? 'Error'
  return `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n</body>\r\n</html>\r\n`
}
